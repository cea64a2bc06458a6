"""Rasa's SQL tracker store and event broker as Wayfinder configures them, on SQLite and
PostgreSQL, the console following the broker's table, and what happens when the tracker
database is locked: waited for, retried, then an error that Rasa's fail-safe wrapper lets out."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import db
from bot.channels import stores
from bot.channels.stores import (
    BROKER_TABLE,
    TrackerStoreUnavailable,
    WayfinderEventBroker,
    WayfinderTrackerStore,
    refuse_in_memory_fallback,
)
from bot.handoff.rasa_conversations import BrokerFollower
from tests.locks import everything_blocked, writes_blocked

DOMAIN = Domain.from_dict({"slots": {"location": {"type": "text", "mappings": [{"type": "custom"}]}}})


def conversation(sender: str, *texts: str) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for text in texts:
        events += [UserUttered(text), BotUttered(f"you said {text}")]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def user_texts(tracker: DialogueStateTracker | None) -> list[str]:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)] if tracker else []


@pytest.fixture
def sqlite_stores(
    tmp_path, monkeypatch
) -> Iterator[tuple[WayfinderTrackerStore, WayfinderEventBroker, Path]]:
    """A tracker store and a broker on SQLite files, as the embedded default has them; waits and
    pauses shortened so a test that outlasts them all takes a second, not seventeen."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(stores, "RETRY_PAUSES", (0.05, 0.1))
    tracker_file = tmp_path / "var" / "tracker.sqlite3"  # tests/conftest.py's var/ for this test
    broker = WayfinderEventBroker()
    store = WayfinderTrackerStore(domain=DOMAIN, event_broker=broker)
    assert Path(store.engine.url.database) == tracker_file  # the file the locks below hold
    try:
        yield store, broker, tracker_file
    finally:
        store.engine.dispose()
        broker.engine.dispose()


def published(broker: WayfinderEventBroker, sender: str) -> list[str]:
    """What the broker's table holds for ``sender``, once what the store handed over is written."""
    assert broker.flush(timeout=30)
    with broker.engine.connect() as conn:
        rows = conn.execute(
            sa.text(f"SELECT data FROM {BROKER_TABLE} WHERE sender_id = :s ORDER BY id"), {"s": sender}
        )
        return [row[0] for row in rows]


def test_trackers_and_broker_events_live_in_the_configured_database(database_url, monkeypatch):
    monkeypatch.setenv("WAYFINDER_DATABASE_URL", database_url)
    broker = WayfinderEventBroker()
    store = WayfinderTrackerStore(domain=Domain.empty(), event_broker=broker)
    follower = BrokerFollower(database_url)
    try:
        tracker = DialogueStateTracker.from_events(
            "caller-1",
            [
                ActionExecuted("action_listen"),
                UserUttered("hello <b>there</b>"),
                BotUttered("Hi, how can I help?"),
            ],
        )
        asyncio.run(store.save(tracker))
        again = asyncio.run(store.retrieve("caller-1"))
        assert [e.as_dict().get("text") for e in again.events if e.as_dict().get("text")] == [
            "hello <b>there</b>",
            "Hi, how can I help?",
        ]
        assert broker.flush(timeout=30)  # the broker writes off the turn (bot/channels/publisher.py)
        published = follower.new_events()
        # What the console reads: the caller's words as they wrote them, then the assistant's.
        assert [(e.conversation_id, e.turn.who, e.turn.text) for e in published][-2:] == [
            ("caller-1", "caller", "hello <b>there</b>"),
            ("caller-1", "assistant", "Hi, how can I help?"),
        ]
        assert follower.new_events() == []  # each event is read once
    finally:
        follower.close()
        store.engine.dispose()
        broker.engine.dispose()


def test_tracker_and_broker_files_are_in_wal_mode_with_a_busy_timeout(sqlite_stores, monkeypatch):
    # Not Python's own default (5 s), so the value read back is the one Wayfinder set.
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 4321)
    store, broker, tracker_file = sqlite_stores
    asyncio.run(store.save(conversation("caller-wal", "hello")))
    for engine in (store.engine, broker.engine):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
        # WAL is a property of the file: any other process opening it reads it so.
        outsider = sqlite3.connect(engine.url.database)
        try:
            assert outsider.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            outsider.close()
    assert Path(broker.engine.url.database) != tracker_file


def test_a_write_waits_for_a_lock_held_shorter_than_the_busy_timeout(sqlite_stores, monkeypatch):
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 30_000)
    store, _broker, tracker_file = sqlite_stores
    asyncio.run(store.save(conversation("caller-wait", "first")))
    released = threading.Event()

    async def save_while_locked() -> None:
        with writes_blocked(tracker_file):
            saving = asyncio.ensure_future(store.save(conversation("caller-wait", "first", "second")))
            # The save waits for the lock in a worker thread: this loop goes on meanwhile (were
            # it blocked, this sleep would end only when the save had failed).
            await asyncio.sleep(0.3)
            assert not saving.done()
        released.set()
        await saving

    asyncio.run(save_while_locked())

    assert released.is_set()
    assert user_texts(asyncio.run(store.retrieve("caller-wait"))) == ["first", "second"]


def test_a_read_outlasting_every_retry_raises_instead_of_returning_no_conversation(sqlite_stores):
    store, _broker, tracker_file = sqlite_stores
    asyncio.run(store.save(conversation("caller-read", "first")))

    with everything_blocked(tracker_file), pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.retrieve("caller-read"))

    assert user_texts(asyncio.run(store.retrieve("caller-read"))) == ["first"]


def test_a_failed_write_is_not_published_and_a_retried_one_is_published_once(sqlite_stores):
    store, broker, tracker_file = sqlite_stores
    asyncio.run(store.save(conversation("caller-write", "first")))
    before = published(broker, "caller-write")
    longer = conversation("caller-write", "first", "second")

    with writes_blocked(tracker_file), pytest.raises(TrackerStoreUnavailable) as raised:
        asyncio.run(store.save(longer))

    # The error a log would print names the statement, not its values (the caller and their words).
    failure = str(raised.value.__cause__)
    assert "database is locked" in failure and "INSERT INTO events" in failure
    assert "caller-write" not in failure and "second" not in failure
    assert published(broker, "caller-write") == before
    assert user_texts(asyncio.run(store.retrieve("caller-write"))) == ["first"]
    asyncio.run(store.save(longer))
    assert user_texts(asyncio.run(store.retrieve("caller-write"))) == ["first", "second"]
    new = published(broker, "caller-write")[len(before) :]
    assert [text for text in new if '"second"' in text and '"user"' in text] != []
    assert len(new) == 2  # the user's "second" and the bot's answer, once each


def test_a_save_does_not_wait_for_the_broker_whose_events_follow_in_order_once_it_can_write(sqlite_stores):
    store, broker, _tracker_file = sqlite_stores
    broker.publisher._pauses = (0.05,)
    asyncio.run(store.save(conversation("caller-later", "first")))
    assert len(published(broker, "caller-later")) == 3

    with writes_blocked(Path(broker.engine.url.database)):
        asyncio.run(store.save(conversation("caller-later", "first", "second")))
        asyncio.run(store.save(conversation("caller-later", "first", "second", "third")))
        # Stored and readable while the broker's table cannot be written.
        assert user_texts(asyncio.run(store.retrieve("caller-later"))) == ["first", "second", "third"]
        assert not broker.flush(timeout=0.3) and broker.publisher.waiting == 4

    feed = [json.loads(data) for data in published(broker, "caller-later")]
    assert [event.get("text") for event in feed if event["event"] == "user"] == ["first", "second", "third"]
    assert len(feed) == 7  # nothing twice


def test_rasas_fail_safe_wrapper_lets_the_error_out_instead_of_using_memory(sqlite_stores):
    store, _broker, tracker_file = sqlite_stores
    before = conversation("caller-agent", "near 19143")
    before.update(SlotSet("location", "19143"))
    asyncio.run(store.save(before))
    agent = Agent(domain=DOMAIN, tracker_store=store)  # Rasa wraps it in its FailSafeTrackerStore
    refuse_in_memory_fallback(agent)
    refuse_in_memory_fallback(agent)  # every message calls it: twice changes nothing

    with everything_blocked(tracker_file):
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(agent.tracker_store.get_or_create_tracker("caller-agent"))
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(agent.tracker_store.save(conversation("caller-agent", "lost?")))

    kept = asyncio.run(agent.tracker_store.retrieve("caller-agent"))
    assert kept.get_slot("location") == "19143"
    assert user_texts(kept) == ["near 19143"]
    # Nothing went to the in-memory fallback, which a later read would never see anyway.
    assert agent.tracker_store._fallback_tracker_store is None


def test_other_errors_are_raised_at_once_not_retried(sqlite_stores, monkeypatch):
    store, _broker, _tracker_file = sqlite_stores
    calls = []

    def broken(*_args, **_kwargs):
        calls.append(1)
        raise RuntimeError("not a database problem")

    monkeypatch.setattr(store, "_read", broken)
    with pytest.raises(RuntimeError, match="not a database problem"):
        asyncio.run(store.retrieve("caller-bug"))
    assert calls == [1]


def test_every_stored_event_is_published_once_in_order_turn_after_turn(sqlite_stores):
    store, broker, _tracker_file = sqlite_stores
    texts = ("hi", "a therapist near 19143", "34", "1", "more options")

    for turn in range(1, len(texts) + 1):
        asyncio.run(store.save(conversation("caller-feed", *texts[:turn])))
    asyncio.run(store.save(conversation("caller-feed", *texts)))  # saved again, nothing new

    stored = asyncio.run(store.retrieve("caller-feed"))
    feed = [json.loads(data) for data in published(broker, "caller-feed")]
    assert [event["event"] for event in feed] == [event.as_dict()["event"] for event in stored.events]
    assert [event.get("text") for event in feed if event["event"] == "user"] == list(texts)


@pytest.mark.parametrize(
    "failure",
    [
        sqlalchemy.exc.OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error")),
        ValueError("Unknown event name 'from_a_newer_rasa'."),  # another replica's event, unreadable here
    ],
    ids=["database error", "other error"],
)
def test_a_stored_turn_whose_read_back_fails_is_published_once_and_not_stored_again(
    sqlite_stores, monkeypatch, failure
):
    """The cache reads a stored turn back after the commit; when that read fails, the turn is
    stored: the save neither fails (the client would send the message again) nor loses its
    publishing, and the next read reads the conversation again."""
    store, broker, _tracker_file = sqlite_stores
    asyncio.run(store.save(conversation("caller-back", "first")))
    read = store._read
    calls = []

    def failing_after_the_commit(session, sender_id, after):
        calls.append(after)
        if len(calls) == 2:  # the check before the insert went through; the read-back fails
            raise failure
        return read(session, sender_id, after)

    monkeypatch.setattr(store, "_read", failing_after_the_commit)
    asyncio.run(store.save(conversation("caller-back", "first", "second")))
    monkeypatch.setattr(store, "_read", read)

    assert len(calls) == 2
    assert user_texts(asyncio.run(store.retrieve("caller-back"))) == ["first", "second"]
    feed = [json.loads(data) for data in published(broker, "caller-back")]
    assert [event.get("text") for event in feed if event["event"] == "user"] == ["first", "second"]
