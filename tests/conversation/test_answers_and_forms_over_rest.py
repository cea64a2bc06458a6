"""Typed answers to yes/no questions, and forms a question cannot derail, with the real assistant
over REST (advocates off shift: asking for a person offers a call back)."""

from __future__ import annotations

import uuid

import pytest

from tests.assistant import rest_conversation_id, texts


@pytest.fixture
def caller() -> str:
    return f"typed-{uuid.uuid4().hex[:10]}"


def buttons(messages: list[dict]) -> list[str]:
    return [button["payload"] for message in messages for button in message.get("buttons") or []]


@pytest.mark.parametrize("typed", ["yes", "yes please", "yeah sure"])
def test_a_typed_yes_to_a_call_back_is_the_button(off_shift_assistant, caller, typed):
    offer = off_shift_assistant.say(caller, "/human_handoff")
    assert "/request_callback" in buttons(offer)
    reply = texts(off_shift_assistant.say(caller, typed))
    assert "What phone number should an advocate call?" in reply


def test_a_typed_no_to_a_call_back_keeps_nothing(off_shift_assistant, caller):
    off_shift_assistant.say(caller, "/human_handoff")
    reply = texts(off_shift_assistant.say(caller, "no thanks"))
    assert "I haven't kept your number" in reply


def test_a_call_back_is_not_derailed_by_a_question_or_a_zip(off_shift_assistant, caller):
    say = off_shift_assistant.say
    say(caller, "/human_handoff")
    say(caller, "yes")
    reply = texts(say(caller, "how long does that take?"))
    assert "calls back" in reply
    assert "What phone number should an advocate call?" in reply  # the same question again
    consent = say(caller, "215-555-0123")
    assert "OK to leave it?" in texts(consent) and "/affirm" in buttons(consent)
    again = say(caller, "19104")
    assert "OK to leave it?" in texts(again) and "/affirm" in buttons(again)  # a ZIP is not a yes
    assert "An advocate will call 215-555-0123" in texts(say(caller, "yes"))
    rows = off_shift_assistant.query("SELECT conversation_id FROM wf_callback_request")
    assert (rest_conversation_id(caller),) in rows


def test_advocacy_intake_answers_questions_and_resumes(off_shift_assistant, caller):
    say = off_shift_assistant.say
    say(caller, "/individual_advocacy")
    reply = texts(say(caller, "how long does that take?"))
    assert "two business days" in reply
    assert "what happened and what would you like to change?" in reply  # the summary, asked again
    reply = texts(say(caller, "My landlord is evicting me without notice and the county stopped my benefits"))
    assert "How can an advocate reach you" in reply
    reply = texts(say(caller, "what do you do with this?"))
    assert "follow up with you" in reply
    assert "How can an advocate reach you" in reply  # a question is never the contact details
    reply = texts(say(caller, "call me at 215-555-0123 after 5pm"))
    assert "OK to send it to an advocate?" in reply
    consent = say(caller, "19143")
    assert "OK to send it to an advocate?" in texts(consent) and "/affirm" in buttons(consent)
    assert "reference #" in texts(say(caller, "yes"))
    tracker = off_shift_assistant.tracker(caller)
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get("name")


def test_a_typed_yes_after_a_crisis_response_is_still_safe_right_now(off_shift_assistant, caller):
    off_shift_assistant.say(caller, "/crisis")
    assert "I'm glad you're safe right now" in texts(off_shift_assistant.say(caller, "yes"))


def test_two_misunderstandings_in_a_row_offer_a_person(off_shift_assistant, caller):
    first = off_shift_assistant.say(caller, "xzqv blorp fnarg")
    assert first and "I'm still not understanding" not in texts(first)  # asked once first
    second = off_shift_assistant.say(caller, "asdkjfh qwpoeiru")
    assert "I'm still not understanding" in texts(second)
    assert "/human_handoff" in buttons(second)


def test_a_caller_waiting_for_an_advocate_hears_they_are_still_in_line(assistant, caller):
    reply = texts(assistant.say(caller, "/human_handoff"))
    assert "in line" in reply
    waiting = texts(assistant.say(caller, "hello? is anyone there"))
    assert "still in line for an advocate" in waiting and "988" in waiting
