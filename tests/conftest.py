"""Shared fixtures: real databases (SQLite and PostgreSQL) and the HSDS reference data."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from bot import run
from bot.config import PROJECT_ROOT
from tests.assistant import (
    OTHER_REST_CLIENT,
    OTHER_REST_KEY,
    TEST_REST_CLIENT,
    TEST_REST_KEY,
    Assistant,
    start_assistant,
)
from tests.databases import new_postgres_database
from tests.fakes.twilio import FakeTwilio

HSDS_DIR = PROJECT_ROOT.parent / "shared" / "hsds"


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind: a SQLite file, or a new PostgreSQL schema-less database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'directory.sqlite3'}"
        return
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def fake_twilio():
    """Twilio's REST API faked on loopback: the assistant's outbound texts arrive here."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture(scope="session")
def widget_demo_port() -> int:
    """The port the widget's demo page is served on in browser tests: another origin than the
    assistant's, which the assistant must allow (WAYFINDER_ALLOWED_ORIGINS)."""
    return run.free_port()


@pytest.fixture(scope="session")
def assistant_environment(fake_twilio, widget_demo_port) -> dict[str, str]:
    """Environment variables the session's real assistant starts with (channels' settings, fakes' URLs).
    Silence after the crisis question counts after 20 s, not 3 minutes, so a test can wait for it.
    REST takes the tests' API key only."""
    return {
        **fake_twilio.environment(),
        "WAYFINDER_CRISIS_CHECK_SECONDS": "20",
        # REST as integrations use it: with an API key, and no anonymous access.
        "WAYFINDER_REST_KEYS": f"{TEST_REST_CLIENT}:{TEST_REST_KEY},{OTHER_REST_CLIENT}:{OTHER_REST_KEY}",
        "WAYFINDER_REST_ANONYMOUS": "0",
        "WAYFINDER_ALLOWED_ORIGINS": f"http://127.0.0.1:{widget_demo_port}",
        # Every test speaks as one integration; each conversation keeps the default limit.
        "WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE": "100000",
    }


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, assistant_environment) -> Assistant:
    """The real assistant (Rasa server, action server, sample directory), started once per session."""
    started, processes = start_assistant(tmp_path_factory, assistant_environment)
    try:
        yield started
    finally:
        run.stop(processes)


@pytest.fixture
def sender() -> str:
    """A new conversation."""
    return f"test-{uuid.uuid4().hex[:10]}"
