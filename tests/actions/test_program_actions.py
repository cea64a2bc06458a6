"""The organisation's programs, asking for a person, Spanish, and misunderstanding."""

from __future__ import annotations

from actions import common
from actions.fallback import ActionDefaultAskAffirmation, ActionDefaultFallback
from actions.forms import ValidateAdvocacyForm, ValidateNewsletterForm
from actions.handoff import ActionRequestHuman
from actions.programs import ActionAdvocacyIntake, ActionNewsletterSignup, ActionProgramInfo
from tests.actions.conftest import DOMAIN, make_tracker, run


def test_program_information_comes_from_the_organisation_file(dispatcher):
    run(ActionProgramInfo(), dispatcher, make_tracker(intent="peer_specialist_practicum"))
    assert dispatcher.messages[0]["text"].startswith("Certified Peer Specialist practicum:")
    assert {b["payload"] for b in dispatcher.messages[0]["buttons"]} == {
        "/newsletter_signup",
        "/human_handoff",
    }


def test_a_newsletter_email_is_checked(dispatcher):
    form = ValidateNewsletterForm()
    assert form.validate_newsletter_email(" Sam@Example.ORG ", dispatcher, make_tracker(), DOMAIN) == {
        "newsletter_email": "sam@example.org"
    }
    assert form.validate_newsletter_email("sam at example", dispatcher, make_tracker(), DOMAIN) == {
        "newsletter_email": None
    }
    assert "doesn't look like an email" in dispatcher.messages[0]["text"]


def test_newsletter_signup_is_stored_only_with_consent_and_once(dispatcher):
    slots = {"newsletter_email": "sam@example.org", "newsletter_consent": True}
    run(ActionNewsletterSignup(), dispatcher, make_tracker(slots))
    run(ActionNewsletterSignup(), dispatcher, make_tracker(slots))
    run(
        ActionNewsletterSignup(),
        dispatcher,
        make_tracker({"newsletter_email": "other@example.org", "newsletter_consent": False}),
    )
    assert [row["email"] for row in common.programs().signups()] == ["sam@example.org"]
    texts = [m["text"] for m in dispatcher.messages]
    assert "is signed up" in texts[0] and "already signed up" in texts[1]
    assert dispatcher.messages[2]["response"] == "utter_newsletter_not_signed_up"


def test_advocacy_summary_must_say_something(dispatcher):
    result = ValidateAdvocacyForm().validate_advocacy_summary("help", dispatcher, make_tracker(), DOMAIN)
    assert result == {"advocacy_summary": None}


def test_advocacy_intake_is_stored_and_queued_high_with_consent(dispatcher):
    slots = {
        "advocacy_summary": "The clinic discharged me without a plan and stopped my meds.",
        "advocacy_contact": "215-555-0199 after 3pm",
        "advocacy_consent": True,
    }
    events = run(ActionAdvocacyIntake(), dispatcher, make_tracker(slots, sender="caller-7"))
    [intake] = common.programs().intakes()
    assert intake["conversation_id"] == "caller-7" and intake["contact"] == "215-555-0199 after 3pm"
    [queued] = common.handoff_queue().waiting()
    assert (queued["priority"], queued["reason"]) == ("high", "individual_advocacy")
    assert f"#{intake['id']}" in dispatcher.messages[0]["text"]
    assert all(event["value"] is None for event in events)


def test_advocacy_intake_without_consent_keeps_nothing(dispatcher):
    slots = {"advocacy_summary": "They cut my SSI without notice.", "advocacy_consent": False}
    run(ActionAdvocacyIntake(), dispatcher, make_tracker(slots))
    assert common.programs().intakes() == [] and common.handoff_queue().waiting() == []


def test_asking_for_a_person_queues_the_needs_collected_so_far(dispatcher):
    slots = {
        "need": "counseling",
        "location": "19143",
        "payment": "medicaid",
        "results": ["a", "b", "c", "d"],
        "results_shown": 3.0,
    }
    run(ActionRequestHuman(), dispatcher, make_tracker(slots, intent="human_handoff", sender="caller-9"))
    [queued] = common.handoff_queue().waiting()
    assert queued["conversation_id"] == "caller-9" and queued["priority"] == "normal"
    assert queued["summary"] == {
        "need": "counseling",
        "location": "19143",
        "payment": "medicaid",
        "referrals_given": ["a", "b", "c"],
    }
    assert dispatcher.messages[0]["custom"]["type"] == "handoff"
    assert "988" in dispatcher.messages[0]["text"]


def test_misunderstanding_asks_in_the_callers_terms(dispatcher):
    tracker = make_tracker(text="the thing for the stuff", intent="request_help")
    run(ActionDefaultAskAffirmation(), dispatcher, tracker)
    assert (
        dispatcher.messages[0]["text"]
        == "Are you looking for a service, like counseling, treatment, food or housing?"
    )


def test_a_message_in_another_language_says_which_languages_we_speak(dispatcher):
    run(
        ActionDefaultAskAffirmation(),
        dispatcher,
        make_tracker(text="bonjour, j'ai besoin d'aide", intent="out_of_scope"),
    )
    assert "English or Spanish" in dispatcher.messages[0]["text"]


def test_after_repeated_misunderstanding_a_person_is_offered(dispatcher):
    events = run(ActionDefaultFallback(), dispatcher, make_tracker(text="asdf qwer"))
    assert any(b["payload"] == "/human_handoff" for b in dispatcher.messages[0]["buttons"])
    assert events[0]["event"] == "rewind"
