"""Shared fixtures: real databases (SQLite and PostgreSQL) and the HSDS reference data."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import run
from bot.config import PROJECT_ROOT
from tests.assistant import Assistant, start_assistant

HSDS_DIR = PROJECT_ROOT.parent / "shared" / "hsds"
POSTGRES_URL_VARIABLE = "WAYFINDER_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_var_dir(tmp_path, monkeypatch):
    """No test writes to the developer's var/."""
    monkeypatch.setenv("WAYFINDER_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("WAYFINDER_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def hsds_dir() -> Path:
    if not (HSDS_DIR / "examples").is_dir():
        pytest.skip(f"Open Referral's HSDS examples and schemas are not at {HSDS_DIR}")
    return HSDS_DIR


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: CI must test the store on PostgreSQL")
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (make test starts a local PostgreSQL when it can)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind: a SQLite file, or a new PostgreSQL schema-less database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'directory.sqlite3'}"
        return
    server_url = sa.engine.make_url(_postgres_url())
    name = f"wf_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    """The real assistant (Rasa server, action server, sample directory), started once per session."""
    started, processes = start_assistant(tmp_path_factory)
    try:
        yield started
    finally:
        run.stop(processes)


@pytest.fixture
def sender() -> str:
    """A new conversation."""
    return f"test-{uuid.uuid4().hex[:10]}"
