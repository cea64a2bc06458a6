"""After a clear "no" to the direct question of risk, the caller goes back to what they came for."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions import common
from actions.safety import ActionCrisisCheckAnswered, ActionCrisisResponse, interrupted_form
from tests.actions.conftest import make_tracker, run


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def loop(name: str | None) -> dict:
    return {"event": "active_loop", "name": name}


# The referral form asks where; the answer comes with words the crisis layer reads as a possible
# risk; the crisis response stops the form and the direct question is asked.
INTERRUPTED_SEARCH = [
    user("no tengo donde dormir esta noche"),
    loop("referral_form"),
    user("estoy por la 2 y Lehigh. no tengo familia aquí"),
    loop(None),
    loop("crisis_check_form"),
    user("no"),
    loop(None),
]
# The search was done a turn before the crisis: nothing to go back to.
FINISHED_SEARCH = [
    user("a therapist near 19143"),
    loop("referral_form"),
    user("34"),
    loop(None),
    user("everyone would be better off without me"),
    loop("crisis_check_form"),
    user("no"),
    loop(None),
]


def tracker_with(events: list[dict], **slots) -> Tracker:
    slots = {"crisis_check": "no", "need": "shelter", "search_status": "found", **slots}
    tracker = make_tracker(slots, text="no", intent="deny")
    tracker.events = events
    return tracker


def test_the_form_the_question_interrupted_is_found():
    assert interrupted_form(INTERRUPTED_SEARCH) == "referral_form"
    assert interrupted_form(FINISHED_SEARCH) is None
    assert interrupted_form([user("hi"), loop("crisis_check_form")]) is None


def test_a_clear_no_goes_back_to_the_interrupted_form(dispatcher):
    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker_with(INTERRUPTED_SEARCH))

    assert {"event": "followup", "name": "referral_form", "timestamp": None} in events
    assert "988" in dispatcher.messages[0]["text"]
    buttons = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert buttons == ["/human_handoff"]  # the form asks its question next: no "keep looking"


def test_with_no_form_interrupted_the_caller_is_offered_to_keep_looking(dispatcher):
    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker_with(FINISHED_SEARCH))

    assert not [e for e in events if e["event"] == "followup"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_help", "/human_handoff"]


def test_a_need_named_before_any_search_is_searched_for_after_a_clear_no(dispatcher):
    first_message = [
        user("my daughter is withdrawn, I'd like her to see a therapist"),
        loop("crisis_check_form"),
    ]
    tracker = tracker_with([*first_message, user("no"), loop(None)], search_status=None)

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert {"event": "followup", "name": "referral_form", "timestamp": None} in events


def test_the_search_after_a_clear_no_starts_from_the_need_asked_for_first(dispatcher):
    """Rasa's slot mapping keeps the last need said (mental health); the caller asked for legal help."""
    raised = {
        **user("my landlord says i have to move out because of my bipolar. is that even legal?"),
        "parse_data": {
            "entities": [
                {"entity": "need", "value": "legal_advocacy"},
                {"entity": "need", "value": "housing"},
                {"entity": "need", "value": "mental_health"},
            ]
        },
    }
    tracker = tracker_with(
        [raised, loop("crisis_check_form"), user("no"), loop(None)], need="mental_health", search_status=None
    )

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["need"] == "legal_advocacy"
    assert slots["pending_needs"] == ["housing", "mental_health"]
    assert events[-1] == {"event": "followup", "name": "referral_form", "timestamp": None}


def test_a_search_the_question_interrupted_keeps_the_need_it_was_searching_for(dispatcher):
    """Said when asked where to look for her grandson's counseling, "and after him, is there
    anything for me?" raised the question; Rasa's slot mapping had made its need the need."""
    raised = {
        **user("and after him, is there anything for me? i'm 66 and im tired"),
        "parse_data": {
            "entities": [{"entity": "need", "value": "family_support", "extractor": "NeedClassifier"}]
        },
    }
    events = [
        user("im raising my grandson, the principal wants him in counseling"),
        {"event": "slot", "name": "need", "value": "child_youth"},
        loop("referral_form"),
        raised,
        {"event": "slot", "name": "need", "value": "family_support"},
        loop(None),
        loop("crisis_check_form"),
        user("no"),
        loop(None),
    ]
    tracker = tracker_with(events, need="family_support", search_status=None)

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["need"] == "child_youth"
    assert events[-1] == {"event": "followup", "name": "referral_form", "timestamp": None}


# The first message read as a possible risk named a need; asked directly, the caller goes on.
ASKED_ABOUT_A_REQUEST = [
    user("my son keeps getting sent home from school, he needs to see a counselor"),
    loop("crisis_check_form"),
]


def going_on(
    text: str, entities: list[tuple[str, str]], nlu_report: bool = True, intent: str = "inform", **slots
) -> Tracker:
    """The tracker after the answer ``text``, with what the NLU's crisis rule layer reported on it."""
    slots = {"crisis_check": text, "need": "counseling", "search_status": None, **slots}
    tracker = make_tracker(slots, text=text, intent=intent, entities=entities)
    if not nlu_report:
        del tracker.latest_message["crisis_rule_layer"]
    tracker.events = [*ASKED_ABOUT_A_REQUEST, user(text), loop(None)]
    return tracker


def crisis_payload(dispatcher) -> dict:
    return next(m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "crisis")


def test_going_on_with_the_request_is_met_as_imminent_and_the_request_goes_on(dispatcher):
    tracker = going_on("i get off at 4:30 so after 5 or a saturday", [("when", "SA")])

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert "988" in dispatcher.messages[0]["text"] and "911" in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "crisis_level", "value": "imminent", "timestamp": None} in events
    assert {"event": "followup", "name": "referral_form", "timestamp": None} in events
    assert dispatcher.messages[-1]["text"] == "In the meantime, I'll keep helping with what you asked for."
    urgent = common.handoff_queue().open_for(tracker.sender_id)
    assert urgent is not None and urgent["priority"] == "urgent"


def test_a_request_with_a_risk_word_beside_it_is_only_met_as_imminent(dispatcher):
    tracker = going_on("im so tired of all of it, i just need a place near 19143", [("zip", "19143")])

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert not [e for e in events if e["event"] == "followup"]


def test_without_the_nlu_report_on_the_answer_it_is_only_met_as_imminent(dispatcher):
    tracker = going_on("i get off at 4:30 so after 5 or a saturday", [("when", "SA")], nlu_report=False)

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert not [e for e in events if e["event"] == "followup"]


ASKED_AGAIN = {"event": "followup", "name": "crisis_check_form", "timestamp": None}


def test_an_answer_that_asks_for_nothing_is_met_as_imminent_and_asked_again(dispatcher):
    events = run(ActionCrisisCheckAnswered(), dispatcher, going_on("whatever", []))

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert "988" in dispatcher.messages[0]["text"]
    assert [e for e in events if e["event"] == "followup"] == [ASKED_AGAIN]
    assert [e["name"] for e in events if e["event"] == "reminder"] == ["crisis_check_unanswered"]
    urgent = common.handoff_queue().open_for("caller-1")
    assert urgent is not None and urgent["priority"] == "urgent"


def test_the_direct_question_is_asked_again_only_once(dispatcher):
    tracker = going_on("whatever", [])
    tracker.events = [
        *ASKED_ABOUT_A_REQUEST,
        user("idk"),
        loop(None),
        loop("crisis_check_form"),
        user("whatever"),
    ]

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert ASKED_AGAIN not in events


def test_a_request_with_no_words_of_ours_in_it_goes_on_too(dispatcher):
    text = "first thing is somebody to talk to about the nightmares"
    events = run(ActionCrisisCheckAnswered(), dispatcher, going_on(text, [], intent="human_handoff"))

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert {"event": "followup", "name": "referral_form", "timestamp": None} in events


def test_a_request_with_no_need_named_yet_starts_the_search(dispatcher):
    tracker = going_on("we live in olney, 19120, and i can only do saturdays", [("zip", "19120")], need=None)
    tracker.events = [user("i just dont know what to do anymore with my son"), loop("crisis_check_form")]

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert events[-1] == {"event": "followup", "name": "referral_form", "timestamp": None}


def test_asking_for_an_advocate_instead_of_answering_goes_on_to_the_intake(dispatcher):
    text = "is that even allowed?? i want somebody from your place to help us with this"
    events = run(ActionCrisisCheckAnswered(), dispatcher, going_on(text, [], intent="individual_advocacy"))

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert events[-1] == {"event": "followup", "name": "advocacy_form", "timestamp": None}


@pytest.mark.parametrize(
    ("text", "intent"), [("idk", "skip"), ("why do you ask", "out_of_scope"), ("ok", "inform")]
)
def test_a_not_answer_read_as_no_request_is_met_as_imminent_and_asked_again(dispatcher, text, intent):
    events = run(ActionCrisisCheckAnswered(), dispatcher, going_on(text, [], intent=intent))

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert [e for e in events if e["event"] == "followup"] == [ASKED_AGAIN]


@pytest.mark.parametrize(
    ("text", "asked_again"),
    [
        # Read as a crisis by the classifier alone: no risk the rules or a risk word found.
        ("would i be able to bring her with me? i dont have anybody to watch her", True),
        # With a risk in it, the answer is taken as one: no second question.
        ("i just want to die", False),
    ],
)
def test_an_answer_read_as_a_crisis_is_met_as_imminent_and_asked_again_only_without_risk(
    dispatcher, text, asked_again
):
    tracker = make_tracker(
        {"need": "counseling"}, text=text, intent="crisis", active_loop="crisis_check_form"
    )
    tracker.events = [*ASKED_ABOUT_A_REQUEST, user(text)]

    events = run(ActionCrisisResponse(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert (ASKED_AGAIN in events) is asked_again


def test_going_on_in_spanish_goes_on_in_spanish(dispatcher):
    tracker = going_on("salgo a las 5, solo puedo los sábados", [("when", "SA")], caller_language="es")

    events = run(ActionCrisisCheckAnswered(), dispatcher, tracker)

    assert crisis_payload(dispatcher)["level"] == "imminent"
    assert {"event": "followup", "name": "referral_form", "timestamp": None} in events
    assert dispatcher.messages[-1]["text"] == "Mientras tanto, sigo ayudándole con lo que me pidió."
