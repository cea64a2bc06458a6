"""No turn ends silent: the guard every channel goes through (bot.channels.safety.keep_callers_safe)
answers a turn in which the dialogue said nothing, logs it, and records the reply in the tracker."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, UserUttered

from bot.channels import safety
from bot.channels.safety import NO_REPLY, NOT_UNDERSTOOD, keep_callers_safe


@pytest.fixture
def agent(monkeypatch):
    """A Rasa server's agent as far as the guard sees it: its tracker store and lock store."""
    found = SimpleNamespace(
        tracker_store=InMemoryTrackerStore(Domain.empty()), lock_store=InMemoryLockStore(), processor=None
    )
    monkeypatch.setattr(safety, "rasa_app", lambda: SimpleNamespace(ctx=SimpleNamespace(agent=found)))
    return found


def silent_dialogue(agent, fail: bool = False, pause: bool = False):
    """Rasa's handling of a message that stores the turn but sends nothing (a forced silent path)."""

    async def on_new_message(message: UserMessage) -> None:
        tracker = await agent.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, {"name": "affirm", "confidence": 0.9}))
        if pause:
            tracker.update(ConversationPaused())
        if fail:
            # What Rasa's processor logs when an action fails (the action server is down).
            logging.getLogger("rasa.core.processor").error("Encountered an exception while running action")
        tracker.update(ActionExecuted("action_offer_next_need"))
        tracker.update(ActionExecuted("action_listen"))
        await agent.tracker_store.save(tracker)

    return on_new_message


def say(agent, on_new_message, text: str = "ok", sender: str = "caller-1") -> list[dict]:
    output = CollectingOutputChannel()

    async def turn() -> None:
        await keep_callers_safe(on_new_message)(UserMessage(text, output, sender, input_channel="rest"))
        await asyncio.gather(*safety._pending)  # the reply recorded in the tracker

    asyncio.run(turn())
    return output.messages


def test_a_silent_turn_gets_a_helpful_reply_logged_and_kept_in_the_tracker(agent, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.channels.safety"):
        messages = say(agent, silent_dialogue(agent), text="my daughter is 15")
    [message] = messages
    assert message["text"] == NOT_UNDERSTOOD
    assert [b["payload"] for b in message["buttons"]] == ["/human_handoff"]
    [record] = [r for r in caplog.records if "ended with no reply" in r.getMessage()]
    assert "the dialogue said nothing" in record.getMessage()
    assert "action_offer_next_need" in record.getMessage()
    assert "daughter" not in record.getMessage()  # never the caller's words in the log
    tracker = asyncio.run(agent.tracker_store.retrieve("caller-1"))
    assert [e.text for e in tracker.events if isinstance(e, BotUttered)] == [NOT_UNDERSTOOD]


def test_a_turn_whose_action_failed_gets_the_apology(agent):
    [message] = say(agent, silent_dialogue(agent, fail=True))
    assert message["text"] == NO_REPLY


def test_a_turn_that_replied_gets_nothing_more(agent):
    async def replies(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "Here are 3 services."})

    assert [m["text"] for m in say(agent, replies)] == ["Here are 3 services."]


def test_a_conversation_an_advocate_holds_is_left_to_the_advocate(agent, monkeypatch):
    monkeypatch.setattr(safety, "_place_in_line", lambda conversation_id: 0)
    assert say(agent, silent_dialogue(agent, pause=True)) == []


def test_a_caller_still_waiting_for_an_advocate_is_told_their_place_in_line(agent, monkeypatch):
    monkeypatch.setattr(safety, "_place_in_line", lambda conversation_id: 2)
    replies = say(agent, silent_dialogue(agent, pause=True), text="hello? are you there")
    assert [r["text"] for r in replies] == [safety.STILL_IN_LINE.format(position=2)]
    assert "number 2" in replies[0]["text"] and "988" in replies[0]["text"]
    tracker = asyncio.run(agent.tracker_store.retrieve("caller-1"))
    assert tracker.events[-1].text == replies[0]["text"]  # the advocate sees it in the transcript
