"""A caller who writes Spanish (the caller_language slot) is answered in Spanish by every action,
with the same choices (button payloads) as in English, and a language payload for the widget."""

from __future__ import annotations

import re

import pytest
from rasa_sdk import Tracker

from actions.fallback import ActionDefaultAskAffirmation, ActionNotUnderstood
from actions.forms import ValidateAdvocacyForm, ValidateReferralForm
from actions.greet import ActionGreet
from actions.questions import ActionAskAge, ActionAskNeed, ActionAskPayment
from actions.safety import ActionCrisisCheckAnswered, ActionCrisisResponse
from actions.search import ActionMoreOptions, ActionSearchServices, ActionServiceDetails
from actions.yes_no import ActionAnswerYesNo
from tests.actions.conftest import DOMAIN, make_tracker, run

SPANISH = {"caller_language": "es"}
MEDICAID_COUNSELING = {
    "need": "counseling",
    "location": "19143",
    "payment": "medicaid",
    "age": "34",
    "opening_given": True,
}
# Words only an English sentence has: a Spanish answer has none of them.
ENGLISH = re.compile(r"\b(the|you|your|what|would|please|sorry|which|here|and)\b", re.I)


def spanish(message: dict) -> bool:
    return (message.get("custom") or {}).get("language") == "es" and not ENGLISH.search(message["text"])


def payloads(message: dict) -> list[str]:
    return [button["payload"] for button in message.get("buttons") or []]


def both(action, slots: dict, dispatcher_factory, **tracker_args) -> tuple[dict, dict]:
    """The first message of ``action`` for an English and a Spanish caller."""
    messages = []
    for language in ("en", "es"):
        dispatcher = dispatcher_factory()
        run(action, dispatcher, make_tracker({**slots, "caller_language": language}, **tracker_args))
        messages.append(dispatcher.messages[0])
    return messages[0], messages[1]


@pytest.fixture
def new_dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher


@pytest.mark.parametrize(
    ("action", "slots", "args"),
    [
        (ActionGreet(), {}, {"text": "hola", "intent": "greet"}),
        (ActionAskNeed(), {}, {}),
        (ActionAskPayment(), {}, {}),
        (ActionAskAge(), {}, {}),
        (ActionAskAge(), {"relation": "child"}, {}),
        (ActionMoreOptions(), {}, {}),
        (ActionServiceDetails(), {}, {"text": "el 2", "intent": "choose_option"}),
        (
            ActionDefaultAskAffirmation(),
            {},
            {"text": "quiero una persona", "intent": "human_handoff"},
        ),
    ],
)
def test_an_action_speaks_spanish_to_a_spanish_caller_with_the_same_choices(
    action, slots, args, new_dispatcher
):
    english, spanish_message = both(action, slots, new_dispatcher, **args)
    assert spanish(spanish_message), spanish_message["text"]
    assert (english.get("custom") or {}).get("language") == "en"
    assert payloads(spanish_message) == payloads(english)


def test_the_age_question_asks_about_the_caller_or_the_person_they_ask_for(dispatcher):
    run(ActionAskAge(), dispatcher, make_tracker({}))
    run(ActionAskAge(), dispatcher, make_tracker({"relation": "parent"}))
    assert dispatcher.messages[0]["text"].startswith("How old are you?")
    assert dispatcher.messages[1]["text"].startswith("How old is the person you're asking for?")


def test_a_spanish_search_lists_services_in_spanish(dispatcher):
    run(ActionSearchServices(), dispatcher, make_tracker({**MEDICAID_COUNSELING, **SPANISH}))
    [referrals] = [m for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "referrals"]
    assert referrals["custom"]["language"] == "es"
    assert referrals["custom"]["intro"].startswith("Aquí tiene")
    assert "Detalles del 1" in [b["title"] for b in referrals["buttons"]]


def test_a_caller_who_opened_in_spanish_with_a_request_hears_the_safety_note_in_spanish(dispatcher):
    slots = {**MEDICAID_COUNSELING, "opening_given": None, **SPANISH}
    run(ActionSearchServices(), dispatcher, make_tracker(slots))
    note = dispatcher.messages[0]["text"]
    assert "911" in note and "988 y marque 2" in note and "AYUDA" in note


def test_an_unknown_zip_is_refused_in_spanish(dispatcher):
    tracker = make_tracker(SPANISH, text="00000", requested_slot="location")
    ValidateReferralForm().validate_location("00000", dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("No encontré ese código postal. El código postal 00000")


def test_an_age_that_is_no_number_is_refused_in_spanish(dispatcher):
    tracker = make_tracker(SPANISH, text="no sé cuántos", requested_slot="age")
    assert ValidateReferralForm().validate_age("muchos", dispatcher, tracker, DOMAIN) == {"age": None}
    assert spanish(dispatcher.messages[0])


def test_a_spanish_skip_of_the_advocacy_contact_is_a_skip(dispatcher):
    tracker = make_tracker(SPANISH, text="paso", requested_slot="advocacy_contact")
    result = ValidateAdvocacyForm().validate_advocacy_contact("paso", dispatcher, tracker, DOMAIN)
    assert result == {"advocacy_contact": "skip"}


def test_giving_up_offers_a_person_in_spanish(dispatcher):
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "asdf", "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "action", "name": "action_not_understood"},
        {"event": "user", "text": "qwer", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    tracker = Tracker(
        sender_id="caller-1",
        slots=SPANISH,
        latest_message={"text": "qwer", "intent": {"name": "nlu_fallback"}, "intent_ranking": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    run(ActionNotUnderstood(), dispatcher, tracker)
    message = dispatcher.messages[0]
    assert message["text"].startswith("Lo siento, todavía no le entiendo")
    assert [b["title"] for b in message["buttons"]] == ["Hablar con una persona", "Empezar de nuevo"]


def test_a_spanish_no_to_a_crisis_response_gives_the_lines_again_in_spanish(dispatcher):
    crisis = {
        "event": "bot",
        "text": "…",
        "data": {
            "buttons": [
                {"title": "Estoy en peligro ahora", "payload": "/crisis"},
                {"title": "Estoy a salvo ahora", "payload": "/affirm"},
            ]
        },
    }
    latest = {"text": "no", "intent": {"name": "deny", "confidence": 0.99}, "entities": []}
    tracker = Tracker(
        sender_id="caller-1",
        slots={"crisis_language": "es"},
        latest_message=latest,
        events=[crisis, {"event": "user", "text": "no", "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    run(ActionAnswerYesNo(), dispatcher, tracker)
    message = dispatcher.messages[0]
    assert "911" in message["text"] and "988 y marque 2" in message["text"] and "AYUDA" in message["text"]
    assert payloads(message) == ["/crisis", "/affirm"]


def test_the_in_danger_button_of_a_spanish_caller_is_answered_in_spanish(dispatcher):
    tracker = make_tracker({**SPANISH, "need": "counseling"}, text="/crisis", intent="crisis")
    run(ActionCrisisResponse(), dispatcher, tracker)
    message = dispatcher.messages[0]
    assert message["custom"]["crisis"] is True and message["custom"]["language"] == "es"
    assert "911" in message["text"] and "988 y marcar 2" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:2] == ["Estoy en peligro ahora", "Estoy a salvo ahora"]
    assert titles[2].startswith("Seguir buscando ")


def test_an_english_crisis_message_is_answered_in_english_whatever_came_before(dispatcher):
    tracker = make_tracker(SPANISH, text="i want to kill myself tonight", intent="crisis")
    run(ActionCrisisResponse(), dispatcher, tracker)
    assert dispatcher.messages[0]["custom"]["language"] == "en"


def test_a_clear_no_to_the_direct_question_in_spanish_goes_back_to_the_search_in_spanish(dispatcher):
    tracker = make_tracker(
        {"crisis_language": "es", "crisis_check": "no", "need": "counseling", "search_status": "found"},
        text="no",
        intent="deny",
    )
    run(ActionCrisisCheckAnswered(), dispatcher, tracker)
    message = dispatcher.messages[0]
    assert message["text"].startswith("Gracias por contestarme") and "988" in message["text"]
    assert payloads(message) == ["/request_help", "/human_handoff"]


def said_in(language: str | None, slots: dict, **tracker_args) -> Tracker:
    """A tracker whose latest message the NLU found clearly written in ``language``."""
    tracker = make_tracker(slots, **tracker_args)
    if language:
        tracker.latest_message["caller_language"] = language
    return tracker


LANGUAGE_SLOT = {"event": "slot", "name": "caller_language", "value": "en", "timestamp": None}


def test_a_caller_back_in_english_keeps_english_for_the_turns_to_come(dispatcher):
    tracker = said_in("en", SPANISH, text="hi sorry can we do this in english please", intent="greet")

    events = run(ActionGreet(), dispatcher, tracker)

    assert not spanish(dispatcher.messages[0])
    assert events[-1] == LANGUAGE_SLOT


def test_a_form_keeps_the_switch_back_to_english_before_it_asks_again(dispatcher):
    tracker = said_in(
        "en",
        {**SPANISH, "need": "counseling"},
        text="actually I would rather talk in English, the zip is 19143",
        entities=[("zip", "19143")],
        active_loop="referral_form",
        requested_slot="location",
    )

    events = run(ValidateReferralForm(), dispatcher, tracker)

    assert LANGUAGE_SLOT in events


@pytest.mark.parametrize("said", ["es", None])
def test_a_spanish_or_unclear_message_leaves_the_language_as_it_is(dispatcher, said):
    tracker = said_in(said, SPANISH, text="sí", intent="affirm")

    events = run(ActionGreet(), dispatcher, tracker)

    assert not [e for e in events if e.get("name") == "caller_language"]
    assert spanish(dispatcher.messages[0])
