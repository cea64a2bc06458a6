"""Asking for a person: queued and paused on shift, a call back offered off shift, and coming back."""

from __future__ import annotations

import asyncio

import pytest

from actions import common
from actions.greet import ActionGreet
from actions.handoff import ActionHandedBack, ActionRequestHuman, ActionSaveCallback, ValidateCallbackForm
from bot import programs
from bot.handoff.audit import AuditLog
from bot.handoff.presence import Presence
from bot.programs import advocate_hours_text, organization
from tests.actions.conftest import DOMAIN, make_tracker, run


@pytest.fixture
def on_shift(monkeypatch):
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", "always")


@pytest.fixture
def off_shift(monkeypatch):
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", "never")


def ask_for_a_person(dispatcher, sender="caller-1", slots=None, latest_action="action_listen") -> list[dict]:
    tracker = make_tracker(
        slots, text="talk to a person", intent="human_handoff", sender=sender, latest_action=latest_action
    )
    return run(ActionRequestHuman(), dispatcher, tracker)


# -- action_request_human -------------------------------------------------------------


def test_on_shift_the_conversation_is_queued_and_paused(dispatcher, on_shift):
    events = ask_for_a_person(
        dispatcher, sender="caller-1", slots={"need": "counseling", "location": "19143"}
    )
    assert events == [{"event": "pause", "timestamp": None}]
    [queued] = common.handoff_queue().waiting()
    assert queued["conversation_id"] == "caller-1"
    assert queued["paused"] is True
    assert (queued["reason"], queued["priority"], queued["channel"]) == ("caller_request", "normal", "rest")
    assert queued["summary"] == {"need": "counseling", "location": "19143"}
    [message] = dispatcher.messages
    assert message["custom"] == {
        "type": "handoff",
        "language": "en",
        "state": "waiting",
        "position": 1,
        "advocates_online": None,
        "advocate": None,
    }
    assert "number 1 in line" in message["text"]
    assert "988" in message["text"] and "911" in message["text"]
    assert not message["buttons"]


def test_on_shift_the_position_counts_those_ahead(dispatcher, on_shift):
    queue = common.handoff_queue()
    queue.request("earlier-1", reason="caller_request")
    queue.request("earlier-2", reason="crisis", priority="urgent")
    ask_for_a_person(dispatcher, sender="caller-3")
    assert dispatcher.messages[0]["custom"]["position"] == 3
    assert "number 3 in line" in dispatcher.messages[0]["text"]


def test_asking_twice_keeps_one_request_and_the_same_place(dispatcher, on_shift):
    ask_for_a_person(dispatcher, sender="caller-1")
    ask_for_a_person(dispatcher, sender="caller-2")
    ask_for_a_person(dispatcher, sender="caller-1")
    assert [r["conversation_id"] for r in common.handoff_queue().waiting()] == ["caller-1", "caller-2"]
    assert [m["custom"]["position"] for m in dispatcher.messages] == [1, 2, 1]


def test_after_the_fallback_the_reason_is_fallback(dispatcher, on_shift):
    ask_for_a_person(dispatcher, latest_action="action_default_fallback")
    [queued] = common.handoff_queue().waiting()
    assert queued["reason"] == "fallback"


def test_off_shift_the_assistant_keeps_helping_and_offers_a_call_back(dispatcher, off_shift):
    events = ask_for_a_person(dispatcher, sender="caller-1", slots={"need": "housing"})
    assert events == []
    [queued] = common.handoff_queue().waiting()
    assert queued["conversation_id"] == "caller-1" and queued["paused"] is False
    assert queued["summary"] == {"need": "housing"}
    [message] = dispatcher.messages
    text = message["text"]
    assert text.startswith("If you're in danger, call 911, or call or text 988")
    assert text.index("988") < text.index("advocates are not online")
    assert advocate_hours_text() in text and organization()["phone"] in text
    assert [b["payload"] for b in message["buttons"]] == ["/request_callback", "/deny"]
    assert message["custom"]["type"] == "handoff" and message["custom"]["advocates_online"] is False
    assert message["custom"]["position"] is None


def test_off_shift_after_the_fallback_the_reason_is_still_fallback(dispatcher, off_shift):
    ask_for_a_person(dispatcher, latest_action="action_default_fallback")
    assert common.handoff_queue().waiting()[0]["reason"] == "fallback"


def test_whether_advocates_are_on_shift_is_asked_each_time(dispatcher, monkeypatch):
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", "never")
    assert ask_for_a_person(dispatcher, sender="caller-1") == []
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", "always")
    assert ask_for_a_person(dispatcher, sender="caller-1") == [{"event": "pause", "timestamp": None}]
    [queued] = common.handoff_queue().waiting()
    assert queued["paused"] is True


# -- validate_callback_form -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("215-555-0123", "215-555-0123"),
        ("(215) 555 0123", "215-555-0123"),
        ("+1 215.555.0123", "215-555-0123"),
        (2155550123, "215-555-0123"),
    ],
)
def test_a_call_back_number_is_normalised(dispatcher, typed, kept):
    result = ValidateCallbackForm().validate_callback_phone(typed, dispatcher, make_tracker(), DOMAIN)
    assert result == {"callback_phone": kept}
    assert dispatcher.messages == []


@pytest.mark.parametrize("typed", ["555-0123", "call me", "", None, "015-555-0123", "215-055-0123"])
def test_a_number_that_is_not_a_phone_is_asked_again(dispatcher, typed):
    result = ValidateCallbackForm().validate_callback_phone(typed, dispatcher, make_tracker(), DOMAIN)
    assert result == {"callback_phone": None}
    [message] = dispatcher.messages
    assert "doesn't look like a US phone number" in message["text"]


def test_the_form_validates_the_number_the_caller_just_typed(dispatcher):
    """Through the form validator's run, as the action server calls it for callback_form."""
    tracker = make_tracker(
        {"callback_phone": "(267) 555-0100"},
        text="(267) 555-0100",
        active_loop="callback_form",
        requested_slot="callback_phone",
    )
    tracker.events.append({"event": "slot", "name": "callback_phone", "value": "(267) 555-0100"})
    domain = {"forms": {"callback_form": {"required_slots": ["callback_phone", "callback_consent"]}}}
    events = asyncio.run(ValidateCallbackForm().run(dispatcher, tracker, domain))
    assert ValidateCallbackForm().name() == "validate_callback_form"
    assert {"event": "slot", "timestamp": None, "name": "callback_phone", "value": "267-555-0100"} in events


# -- action_save_callback ----------------------------------------------------------------

CLEARED = [
    {"event": "slot", "timestamp": None, "name": "callback_phone", "value": None},
    {"event": "slot", "timestamp": None, "name": "callback_consent", "value": None},
]


def test_a_call_back_is_saved_with_consent_and_the_slots_cleared(dispatcher):
    slots = {"callback_phone": "215-555-0123", "callback_consent": True, "need": "food"}
    events = run(ActionSaveCallback(), dispatcher, make_tracker(slots, sender="caller-5"))
    assert events == CLEARED
    [saved] = common.handoff_queue().callbacks()
    assert (saved["conversation_id"], saved["phone"], saved["consent"]) == ("caller-5", "215-555-0123", True)
    assert saved["channel"] == "rest" and saved["summary"] == {"need": "food"}
    [message] = dispatcher.messages
    assert "215-555-0123" in message["text"] and advocate_hours_text() in message["text"]
    assert "988" in message["text"]
    assert message["custom"] == {"type": "callback", "language": "en", "state": "requested"}


@pytest.mark.parametrize(
    "slots",
    [
        {"callback_phone": "215-555-0123", "callback_consent": False},
        {"callback_phone": "215-555-0123", "callback_consent": None},
        {"callback_phone": "215-555-0123", "callback_consent": "yes"},
        {"callback_phone": None, "callback_consent": True},
        {"callback_phone": "", "callback_consent": True},
    ],
)
def test_without_consent_or_a_number_nothing_is_kept(dispatcher, slots):
    events = run(ActionSaveCallback(), dispatcher, make_tracker(slots))
    assert events == CLEARED
    assert common.handoff_queue().callbacks(status=None) == []
    assert AuditLog(common.handoff_queue().engine).entries() == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_callback_not_saved"


# -- action_handed_back -----------------------------------------------------------------


def test_handed_back_says_the_assistant_is_back(dispatcher):
    events = run(ActionHandedBack(), dispatcher, make_tracker(intent="EXTERNAL_handed_back"))
    assert events == []
    [message] = dispatcher.messages
    assert message["custom"] == {
        "type": "handoff",
        "language": "en",
        "state": "returned_to_bot",
        "position": None,
        "advocates_online": None,
        "advocate": None,
    }
    assert "back with the assistant" in message["text"] and "talk to a person" in message["text"]


@pytest.fixture
def presence(monkeypatch, tmp_path):
    """Who is signed in, in a real presence store; the clock override off."""
    monkeypatch.delenv("WAYFINDER_ADVOCATE_HOURS", raising=False)
    store = Presence.open(f"sqlite:///{tmp_path / 'presence.sqlite3'}")
    monkeypatch.setattr(programs, "_presence", lambda: store)
    yield store
    store.close()


def greeting(dispatcher) -> list[dict]:
    run(ActionGreet(), dispatcher, make_tracker({}, text="hi", intent="greet"))
    return dispatcher.messages


def test_the_greeting_is_short_and_ends_with_starter_buttons(dispatcher, presence):
    first, question = greeting(dispatcher)
    assert "988" in first["text"] and "911" in first["text"]
    assert question["text"].endswith("What can I help you find?")
    titles = [b["title"] for b in question["buttons"]]
    assert titles[:3] == ["Someone to talk to (counseling)", "Drugs or alcohol", "A place to stay or food"]


def test_the_greeting_offers_a_person_only_while_an_advocate_is_signed_in_and_available(dispatcher, presence):
    _, question = greeting(dispatcher)
    assert "No one from our team is online right now" in question["text"]
    assert question["buttons"][-1]["payload"] == "/request_callback"

    presence.set("ana", "available")
    dispatcher.messages.clear()
    _, question = greeting(dispatcher)
    assert "online now" in question["text"] and "No one" not in question["text"]
    assert question["buttons"][-1]["payload"] == "/human_handoff"

    presence.set("ana", "away")
    dispatcher.messages.clear()
    _, question = greeting(dispatcher)
    assert "No one from our team is online right now" in question["text"]


def test_asking_for_a_person_follows_who_is_signed_in_not_the_clock(dispatcher, presence):
    ask_for_a_person(dispatcher, sender="caller-1")
    assert "advocates are not online" in dispatcher.messages[-1]["text"]
    assert common.handoff_queue().open_for("caller-1")["paused"] is False

    presence.set("ana", "available")
    ask_for_a_person(dispatcher, sender="caller-2")
    assert "number 2 in line" in dispatcher.messages[-1]["text"]  # behind caller-1, queued for later
    assert common.handoff_queue().open_for("caller-2")["paused"] is True
