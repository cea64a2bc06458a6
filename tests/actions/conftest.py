"""Action tests: real rasa_sdk Trackers and dispatchers, the real directory on a test database."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from bot.directory import Directory
from bot.run import SAMPLE_DIRECTORY
from bot.safety.detector import assess


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory) -> Path:
    """The sample directory imported once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("sample") / "directory.sqlite3"
    directory = Directory(f"sqlite:///{path}")
    directory.import_path(SAMPLE_DIRECTORY)
    directory.close()
    return path


@pytest.fixture(autouse=True)
def action_stores(tmp_path, sample_database, monkeypatch):
    """Fresh stores under this test's var/ (the autouse fixture in tests/conftest.py sets it)."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    shutil.copy(sample_database, var / "directory.sqlite3")
    for cached in (common.directory, common.programs, common.handoff_queue):
        cached.cache_clear()
    yield
    for cached in (common.directory, common.programs, common.handoff_queue):
        if cached.cache_info().currsize:
            store = cached()
            getattr(store, "engine", None) and store.engine.dispose()
        cached.cache_clear()


def make_tracker(
    slots: dict | None = None,
    text: str = "",
    intent: str = "inform",
    entities: list[tuple[str, str]] = (),
    active_loop: str | None = None,
    requested_slot: str | None = None,
    latest_action: str = "action_listen",
    sender: str = "caller-1",
) -> Tracker:
    """A tracker as the action server receives it from Rasa."""
    all_slots = {"requested_slot": requested_slot, **(slots or {})}
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "intent_ranking": [{"name": intent, "confidence": 0.99}],
        "entities": [{"entity": name, "value": value} for name, value in entities],
        "input_channel": "rest",
    }
    if not text.startswith("/"):
        # As the NLU's crisis rule layer reports on every typed message (components/crisis.py).
        latest_message["crisis_rule_layer"] = {**assess(text).finding().to_json(), "classified_as": intent}
    return Tracker(
        sender_id=sender,
        slots=all_slots,
        latest_message=latest_message,
        events=[{"event": "user", "text": text, "parse_data": latest_message, "input_channel": "rest"}],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action,
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


DOMAIN: dict = {}


def run(action, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    """Run an action as the action server would, returning its events."""
    return asyncio.run(action.run(dispatcher, tracker, DOMAIN))
