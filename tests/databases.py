"""Real databases for tests: a new PostgreSQL database on the test server, dropped afterwards."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager

import pytest

from bot.db import temporary_postgres_database

POSTGRES_URL_VARIABLE = "WAYFINDER_TEST_POSTGRES_URL"


def postgres_server_url() -> str:
    """The test server, or a skip (locally) or failure (under CI) saying why there is none."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: CI must test the store on PostgreSQL")
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (make test starts a local PostgreSQL when it can)")
    return url


def new_postgres_database() -> AbstractContextManager[str]:
    """The URL of a new, empty database on the test server, dropped on exit."""
    return temporary_postgres_database(postgres_server_url(), "wf_test")
