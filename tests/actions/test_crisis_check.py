"""After a clear "no" to the direct question of risk, the caller goes back to what they came for."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.safety import ActionCrisisCheckAnswered, interrupted_form
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
