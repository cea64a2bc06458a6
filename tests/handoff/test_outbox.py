"""The REST callers' outbox on SQLite and PostgreSQL: in order, once, per conversation, forgotten in time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db import engine_with_tables
from bot.handoff import outbox as outbox_module
from bot.handoff.outbox import RETENTION, Outbox

T0 = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


@pytest.fixture
def outbox(database_url) -> Outbox:
    box = Outbox(engine_with_tables(outbox_module.metadata, database_url))
    yield box
    box.engine.dispose()


def test_messages_are_handed_out_in_order_once_and_only_to_their_conversation(outbox):
    outbox.put("a", {"text": "first"}, now=T0)
    outbox.put("b", {"text": "for b"}, now=T0)
    outbox.put("a", {"text": "second", "custom": {"type": "advocate_message"}}, now=T0)
    assert outbox.take("a") == [{"text": "first"}, {"text": "second", "custom": {"type": "advocate_message"}}]
    assert outbox.take("a") == []
    assert outbox.take("b") == [{"text": "for b"}]


def test_messages_nobody_collects_are_forgotten_after_the_retention(outbox):
    outbox.put("a", {"text": "old"}, now=T0)
    outbox.put("b", {"text": "new"}, now=T0 + RETENTION + timedelta(seconds=1))
    assert outbox.take("a") == []
    assert outbox.take("b") == [{"text": "new"}]
