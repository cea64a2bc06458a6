"""Rasa's SQL tracker store and event broker as Wayfinder configures them, on SQLite and
PostgreSQL, and the console following the broker's table."""

from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.stores import BROKER_TABLE, WayfinderEventBroker, WayfinderTrackerStore
from bot.console.live import BROKER_TABLE as FOLLOWED_TABLE
from bot.console.live import BrokerFollower


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
        published = follower.new_events()
        assert [(sender, event["event"]) for sender, event in published][-2:] == [
            ("caller-1", "user"),
            ("caller-1", "bot"),
        ]
        assert follower.new_events() == []  # each event is read once
    finally:
        follower.close()
        store.engine.dispose()
        broker.engine.dispose()


def test_the_console_follows_the_table_the_broker_writes():
    assert BROKER_TABLE == FOLLOWED_TABLE
