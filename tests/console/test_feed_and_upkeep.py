"""The live feed and the upkeep loop in process, over the fake conversations: what advocates'
browsers are sent, and who stops being on shift."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.handoff.conversations import ConversationEvent, Turn
from bot.handoff.rasa_conversations import conversation_event
from tests.console.inprocess import InProcessConsole

WEB_ID = "web:" + "5" * 32


class Socket:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def send(self, text: str) -> None:
        self.sent.append(json.loads(text))

    def of_type(self, kind: str) -> list[dict]:
        return [message for message in self.sent if message["type"] == kind]


@pytest.fixture
def console(tmp_path):
    built = InProcessConsole.build(tmp_path)
    yield built
    built.app.ctx.queue.close()


@pytest.fixture
def socket(console):
    opened = Socket()
    console.app.ctx.live.add(opened, "watcher", "token")
    return opened


def feed_events(console, *events: ConversationEvent) -> None:
    feed = console.app.ctx.feed

    async def one_round():
        for event in events:
            await feed.handle(event)
        await feed.refresh_queue()

    asyncio.run(one_round())


def test_a_crisis_message_from_a_waiting_caller_raises_one_readable_alert(console, socket):
    handoff_id = console.queue.request(
        WEB_ID, reason="caller_request", paused=True, summary={"need": "counseling", "payment": "sliding_fee"}
    )
    scared = ConversationEvent(WEB_ID, "turn", Turn(who="caller", text="i want to end it"), crisis=True)
    feed_events(console, scared)
    feed_events(console, ConversationEvent(WEB_ID, "turn", Turn(who="caller", text="hello?")))
    [alert] = socket.of_type("alert")
    assert (alert["handoff_id"], alert["kind"]) == (handoff_id, "crisis")
    assert "sliding_fee" not in alert["text"] and "sliding fee scale" in alert["needs_line"]
    assert [t["turn"]["text"] for t in socket.of_type("turn")] == ["i want to end it", "hello?"]
    assert socket.of_type("queue")[-1]["handoffs"][0]["priority"] == "urgent"


def test_turns_of_conversations_no_advocate_is_in_are_not_sent(console, socket):
    feed_events(console, ConversationEvent("web:" + "6" * 32, "turn", Turn(who="caller", text="hi")))
    assert socket.of_type("turn") == []


def test_typing_reaches_advocates_only_for_queued_callers(console, socket):
    console.queue.request(WEB_ID, reason="caller_request", paused=True)
    feed_events(console, ConversationEvent(WEB_ID, "typing"), ConversationEvent("web:" + "6" * 32, "typing"))
    assert [m["conversation_id"] for m in socket.of_type("typing")] == [WEB_ID]


def test_an_intent_a_program_triggered_is_never_a_caller_turn():
    handed_back = {
        "event": "user",
        "text": "EXTERNAL: EXTERNAL_handed_back",
        "parse_data": {"intent": {"name": "EXTERNAL_handed_back"}},
    }
    assert conversation_event(WEB_ID, handed_back) is None
    typed = {"event": "user", "text": "thanks", "parse_data": {"intent": {"name": "thank"}}}
    assert conversation_event(WEB_ID, typed).turn.text == "thanks"


def test_upkeep_takes_an_advocate_whose_console_is_gone_off_shift(console, socket):
    presence = console.app.ctx.presence
    long_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    presence.set("gone", "available", now=long_ago)
    presence.set("watcher", "available", now=long_ago)  # still connected: stays on shift
    asyncio.run(console.app.ctx.upkeep.once())
    assert {a.username for a in presence.available()} == {"watcher"}
    assert socket.of_type("presence")
