"""A typed yes or no answers the yes/no question just asked, as its button would; misunderstanding
is asked about once, and a second time in a row offers a person."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.fallback import GIVE_UP, ActionDefaultFallback, ActionNotUnderstood
from actions.yes_no import NOTHING_ASKED_YES, ActionAnswerYesNo, answer_of, parse_payload
from tests.actions.conftest import run


def bot(text: str, buttons: list[tuple[str, str]] = ()) -> dict:
    return {
        "event": "bot",
        "text": text,
        "data": {"buttons": [{"title": title, "payload": payload} for title, payload in buttons]},
    }


def user(text: str, intent: str, confidence: float = 0.99) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []},
        "input_channel": "rest",
    }


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def tracker_after(events: list[dict], text: str, intent: str, active_loop: str | None = None) -> Tracker:
    """A conversation whose latest message is ``text``, classified ``intent``, after ``events``."""
    latest = user(text, intent)
    return Tracker(
        sender_id="caller-1",
        slots={"requested_slot": None},
        latest_message={**latest["parse_data"], "input_channel": "rest"},
        events=[*events, action("action_listen"), latest],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


CALL_BACK = bot(
    "Our advocates are not online right now... Would you like a call back?",
    [("Yes, call me back", "/request_callback"), ("No thanks", "/deny")],
)
FALLBACK_QUESTION = bot(
    "Would you like to talk to a person?",
    [("Yes", "/human_handoff"), ("No, something else", "/deny")],
)
SERVICE_QUESTION = bot(
    "Are you looking for a service, like counseling, treatment, food or housing?",
    [("Yes", "/request_help"), ("No, something else", "/deny")],
)


def replayed(events: list[dict]) -> dict:
    """The caller's message replayed as a button press: revert, listen, and the new user message."""
    assert [event["event"] for event in events] == ["rewind", "action", "user"]
    assert events[1]["name"] == "action_listen"
    return events[2]


@pytest.mark.parametrize("typed", ["yes", "yes please", "yeah", "sure", "si", "yes please connect me", "ok"])
def test_a_typed_yes_to_talk_to_a_person_is_the_button(dispatcher, typed):
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([FALLBACK_QUESTION], typed, "affirm"))
    message = replayed(events)
    assert message["parse_data"]["intent"]["name"] == "human_handoff"
    assert message["text"] == typed  # the caller's own words stay in the transcript
    assert not dispatcher.messages  # the rule for the button's intent answers


def test_a_typed_yes_to_a_call_back_opens_the_call_back_questions(dispatcher):
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([CALL_BACK], "yes", "affirm"))
    assert replayed(events)["parse_data"]["intent"]["name"] == "request_callback"


def test_a_typed_yes_to_the_service_question_is_a_request(dispatcher):
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([SERVICE_QUESTION], "yeah", "affirm"))
    assert replayed(events)["parse_data"]["intent"]["name"] == "request_help"


def test_a_buttons_entities_come_with_the_typed_answer(dispatcher):
    question = bot(
        "Search in Spanish?", [("Yes", '/request_help{"population": "spanish_speaking"}'), ("No", "/deny")]
    )
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([question], "si", "affirm"))
    message = replayed(events)
    assert message["parse_data"]["intent"]["name"] == "request_help"
    assert message["parse_data"]["entities"] == [{"entity": "population", "value": "spanish_speaking"}]


@pytest.mark.parametrize("typed", ["no", "nah", "no thanks", "nope"])
def test_a_typed_no_to_the_fallback_question_asks_for_other_words(dispatcher, typed):
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([SERVICE_QUESTION], typed, "deny"))
    assert events == []
    [message] = dispatcher.messages
    assert "in a few words" in message["text"] and "talk to a person" in message["text"]


def test_a_yes_with_no_question_asked_is_still_answered(dispatcher):
    events = run(
        ActionAnswerYesNo(), dispatcher, tracker_after([bot("Here are 3 services.")], "ok", "affirm")
    )
    assert events == []
    assert dispatcher.messages[0]["text"] == NOTHING_ASKED_YES


def test_no_to_anything_else_is_a_goodbye(dispatcher):
    question = bot("You're welcome. Is there anything else I can help you find?")
    run(ActionAnswerYesNo(), dispatcher, tracker_after([question], "nah", "deny"))
    assert dispatcher.messages[0]["response"] == "utter_goodbye"


def test_an_answer_an_open_form_could_not_take_asks_the_form_again(dispatcher):
    question = bot("Where should I look? A ZIP code or a neighborhood works.")
    events = run(
        ActionAnswerYesNo(),
        dispatcher,
        tracker_after([question], "yes", "affirm", active_loop="referral_form"),
    )
    assert events == [{"event": "followup", "name": "referral_form", "timestamp": None}]
    assert dispatcher.messages


def test_the_words_decide_when_the_intent_is_another(dispatcher):
    tracker = tracker_after([CALL_BACK], "nah", "spanish")
    assert answer_of(tracker) == "no"
    assert answer_of(tracker_after([CALL_BACK], "si", "spanish")) == "yes"
    assert answer_of(tracker_after([CALL_BACK], "sign me up", "newsletter_signup")) is None


def test_payloads_are_read_as_intent_and_entities():
    assert parse_payload("/human_handoff") == ("human_handoff", [])
    assert parse_payload('/inform{"payment": "medicaid"}') == (
        "inform",
        [{"entity": "payment", "value": "medicaid"}],
    )
    assert parse_payload("not a payload") is None


# -- action_not_understood ---------------------------------------------------------------


def fallback_message(text: str) -> dict:
    return {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.4},
            {"name": "human_handoff", "confidence": 0.35},
        ],
        "entities": [],
    }


def misunderstood(events: list[dict], text: str) -> Tracker:
    latest = {"event": "user", "text": text, "parse_data": fallback_message(text)}
    return Tracker(
        sender_id="caller-1",
        slots={},
        latest_message=fallback_message(text),
        events=[*events, action("action_listen"), latest],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_the_first_misunderstanding_asks_with_yes_and_no_buttons(dispatcher):
    events = run(ActionNotUnderstood(), dispatcher, misunderstood([action("action_greet")], "umm the thing"))
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == "Would you like to talk to a person?"
    assert [b["payload"] for b in message["buttons"]] == ["/human_handoff", "/deny"]


def test_a_second_misunderstanding_in_a_row_offers_a_person(dispatcher):
    earlier = [
        user("umm the thing", "nlu_fallback"),
        action("action_not_understood"),
        FALLBACK_QUESTION,
    ]
    events = run(ActionNotUnderstood(), dispatcher, misunderstood(earlier, "blorp again"))
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == GIVE_UP
    assert [b["payload"] for b in message["buttons"]] == ["/human_handoff", "/restart"]


def test_the_core_fallback_gives_up_kindly(dispatcher):
    events = run(ActionDefaultFallback(), dispatcher, misunderstood([], "??"))
    assert dispatcher.messages[0]["text"] == GIVE_UP
    assert events == [{"event": "rewind", "timestamp": None}]


def test_a_yes_the_classifier_read_otherwise_is_replayed_as_the_yes_button(dispatcher):
    # "si" read as Spanish after "look for that next?": replayed as affirm, so the next-need rule answers.
    question = bot(
        "You also mentioned food. Would you like me to look for that next?",
        [("Yes", "/affirm"), ("No", "/deny")],
    )
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([question], "si", "spanish"))
    assert replayed(events)["parse_data"]["intent"]["name"] == "affirm"
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([question], "skip", "skip"))
    assert replayed(events)["parse_data"]["intent"]["name"] == "deny"


def test_no_after_a_crisis_response_gives_the_lines_again(dispatcher):
    crisis = bot(
        "If you're in danger, call 911...",
        [("I'm in danger right now", "/crisis"), ("I'm safe right now", "/affirm")],
    )
    events = run(ActionAnswerYesNo(), dispatcher, tracker_after([crisis], "no", "deny"))
    assert events == []
    [message] = dispatcher.messages
    assert "911" in message["text"] and "988" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/crisis", "/affirm"]


def misunderstood_in_form(events: list[dict], text: str) -> Tracker:
    tracker = misunderstood(events, text)
    tracker.active_loop = {"name": "advocacy_form"}
    return tracker


def test_inside_a_form_a_misunderstanding_asks_the_forms_question_again(dispatcher):
    events = run(ActionNotUnderstood(), dispatcher, misunderstood_in_form([action("advocacy_form")], "wubba"))
    assert events == [{"event": "followup", "name": "advocacy_form", "timestamp": None}]
    assert dispatcher.messages[0]["text"] == "Sorry, I didn't quite get that."


def test_inside_a_form_a_second_misunderstanding_in_a_row_offers_a_person_and_asks_again(dispatcher):
    earlier = [user("wubba", "nlu_fallback"), action("action_not_understood"), action("advocacy_form")]
    events = run(ActionNotUnderstood(), dispatcher, misunderstood_in_form(earlier, "lubba"))
    assert events == [{"event": "followup", "name": "advocacy_form", "timestamp": None}]
    assert dispatcher.messages[0]["text"] == GIVE_UP
