"""Real databases for tests: a new PostgreSQL database on the test server, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

POSTGRES_URL_VARIABLE = "WAYFINDER_TEST_POSTGRES_URL"


def postgres_server_url() -> str:
    """The test server, or a skip (locally) or failure (under CI) saying why there is none."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: CI must test the store on PostgreSQL")
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (make test starts a local PostgreSQL when it can)")
    return url


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped on exit."""
    server = sa.engine.make_url(postgres_server_url())
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
