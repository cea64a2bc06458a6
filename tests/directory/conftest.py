"""Fixtures of the directory tests: a Directory on each real database, and the sample directory.

``directory`` is a Directory on the fresh databases of the project's
``database_url`` fixture (a new SQLite file and a new PostgreSQL database for
every test). Creating, and above all dropping, a PostgreSQL database takes from
half a second to several seconds (a checkpoint), so the many small tests
(search, API, refused files, crosswalks) use ``reused_directory`` instead: the
same two kinds of database, created once per session and emptied before each
test, which leaves them exactly as a fresh directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import SAMPLE_FILE, empty

from bot.directory import Directory
from tests.databases import new_postgres_database


@pytest.fixture(scope="session", autouse=True)
def _region_time_zone():
    """Hours are read in the service region's default time zone, whatever the developer's environment says."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("WAYFINDER_TIMEZONE", raising=False)
        yield


@pytest.fixture
def directory(database_url):
    """An empty directory on a fresh SQLite file and on a fresh PostgreSQL database."""
    directory = Directory(database_url)
    yield directory
    directory.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def shared_database_url(request, tmp_path_factory):
    """Like ``database_url``, but one database of each kind for the whole session."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('directory') / 'directory.sqlite3'}"
        return
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def shared_directory(shared_database_url):
    """The Directory on the shared databases. Use ``reused_directory``, or empty it in a module
    fixture whose tests only read (``fixtures.empty``)."""
    directory = Directory(shared_database_url)
    yield directory
    directory.close()


@pytest.fixture
def reused_directory(shared_directory):
    """An empty directory on SQLite and on PostgreSQL (one database of each kind, emptied first)."""
    return empty(shared_directory)


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """The sample Philadelphia directory (written separately; skipped until it exists)."""
    if not SAMPLE_FILE.exists():
        pytest.skip(f"the sample directory {SAMPLE_FILE} has not been written yet")
    return SAMPLE_FILE
