"""Fixtures of the directory tests: a Directory on each real database, and the sample directory.

``directory`` is a Directory on the fresh databases of the shared ``database_url``
fixture (a new SQLite file and a new PostgreSQL database for every test).
Creating a PostgreSQL database and its tables takes about half a second, so the
many small tests (search, API, refused files) use ``reused_directory`` instead:
the same two kinds of database, created once per module and emptied before
each test, which is what a fresh directory is.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.directory import Directory
from bot.directory.store import metadata

from fixtures import SAMPLE_FILE


@pytest.fixture
def directory(database_url):
    """An empty directory on a fresh SQLite file and on a fresh PostgreSQL database."""
    directory = Directory(database_url)
    yield directory
    directory.close()


@pytest.fixture
def make_directory(database_url):
    """More empty directories on the same kind of database (for round trips): ``make_directory("copy")``."""
    server = sa.engine.make_url(database_url)
    opened: list[tuple[Directory, str | None]] = []

    def admin():
        return sa.create_engine(server, isolation_level="AUTOCOMMIT", future=True)

    def make(suffix: str) -> Directory:
        if server.get_backend_name() == "sqlite":
            directory = Directory(f"sqlite:///{Path(server.database).with_name(suffix + '.sqlite3')}")
            opened.append((directory, None))
            return directory
        name = f"{server.database}_{suffix}"
        engine = admin()
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        directory = Directory(server.set(database=name).render_as_string(hide_password=False))
        opened.append((directory, name))
        return directory

    yield make
    for directory, database in opened:
        directory.close()
        if database is not None:
            engine = admin()
            with engine.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request, tmp_path_factory):
    """Like ``database_url``, but one database of each kind per test module."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('directory') / 'directory.sqlite3'}"
        return
    url = os.environ.get("WAYFINDER_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("WAYFINDER_TEST_POSTGRES_URL is not set: CI must test the store on PostgreSQL")
        pytest.skip("WAYFINDER_TEST_POSTGRES_URL is not set (make test starts a local PostgreSQL when it can)")
    server = sa.engine.make_url(url)
    name = f"wf_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def _module_directory(module_database_url):
    directory = Directory(module_database_url)
    yield directory
    directory.close()


def empty(directory: Directory) -> Directory:
    """Delete every row of every table: the directory is then as a fresh one."""
    with directory.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return directory


@pytest.fixture
def reused_directory(_module_directory):
    """An empty directory on SQLite and on PostgreSQL (databases shared within a module, emptied first)."""
    return empty(_module_directory)


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """The sample Philadelphia directory (written separately; skipped until it exists)."""
    if not SAMPLE_FILE.exists():
        pytest.skip(f"the sample directory {SAMPLE_FILE} has not been written yet")
    return SAMPLE_FILE
