"""Forms that cannot be derailed: a question inside advocacy intake, a call back or the newsletter
is answered and the same question asked again; it is never kept as contact details or consent."""

from __future__ import annotations

import asyncio

import pytest

from actions.form_questions import contact_details
from actions.forms import ValidateAdvocacyForm, ValidateNewsletterForm
from actions.handoff import ValidateCallbackForm
from tests.actions.conftest import DOMAIN, make_tracker


def validate(form, slot: str, text: str, intent: str = "inform", value=None, dispatcher=None):
    """The form's validator for ``slot`` on a message, with the value its slot mapping extracted."""
    tracker = make_tracker(
        text=text, intent=intent, active_loop=form.name().removeprefix("validate_"), requested_slot=slot
    )
    result = getattr(form, f"validate_{slot}")(text if value is None else value, dispatcher, tracker, DOMAIN)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result


# -- advocacy intake -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "intent", "said"),
    [
        ("how long does that take?", "out_of_scope", "two business days"),
        ("how long will it take", "request_help", "two business days"),
        ("what do you do with this?", "privacy", "follow up"),
        ("who sees this?", "privacy", "share them with no one"),
        ("is this a bot?", "bot_challenge", None),
        ("what can you do?", "what_can_you_do", None),
        ("can you help me with rent", "request_help", "can't answer that here"),
    ],
)
def test_a_question_is_never_taken_as_contact_details(dispatcher, typed, intent, said):
    result = validate(ValidateAdvocacyForm(), "advocacy_contact", typed, intent, dispatcher=dispatcher)
    assert result == {"advocacy_contact": None}  # so the form asks for contact details again
    assert dispatcher.messages, "the question is answered"
    if said:
        assert said in " ".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    "typed",
    [
        "215-555-0123",
        "call me at (215) 555 0123 after 5pm",
        "jo@example.org, evenings are best",
        "email jo@example.org or text 267.555.0199",
    ],
)
def test_a_phone_or_email_with_times_is_kept_whole(dispatcher, typed):
    assert validate(ValidateAdvocacyForm(), "advocacy_contact", typed, dispatcher=dispatcher) == {
        "advocacy_contact": typed
    }
    assert not dispatcher.messages


@pytest.mark.parametrize("typed", ["19143", "my landlord", "mornings", "555-0123"])
def test_anything_else_is_asked_again_as_contact_details(dispatcher, typed):
    assert validate(ValidateAdvocacyForm(), "advocacy_contact", typed, dispatcher=dispatcher) == {
        "advocacy_contact": None
    }
    assert "phone number" in dispatcher.messages[0]["text"]


def test_skip_keeps_the_conversation_here(dispatcher):
    assert validate(
        ValidateAdvocacyForm(), "advocacy_contact", "skip", "skip", value="skip", dispatcher=dispatcher
    ) == {"advocacy_contact": "skip"}


@pytest.mark.parametrize("typed", ["19143", "what happens next?", "maybe later", "my name is Jo"])
def test_a_zip_or_a_question_is_never_consent(dispatcher, typed):
    result = validate(ValidateAdvocacyForm(), "advocacy_consent", typed, dispatcher=dispatcher)
    assert result == {"advocacy_consent": None}  # the consent question comes again, with its buttons
    assert dispatcher.messages


@pytest.mark.parametrize(
    ("typed", "intent", "value", "kept"),
    [
        ("yes send it", "affirm", True, True),
        ("no, don't", "deny", False, False),
        ("si", "spanish", None, True),
        ("yeah ok", "inform", None, True),
        ("nah", "out_of_scope", None, False),
    ],
)
def test_a_typed_yes_or_no_is_consent(dispatcher, typed, intent, value, kept):
    result = validate(
        ValidateAdvocacyForm(), "advocacy_consent", typed, intent, value=value, dispatcher=dispatcher
    )
    assert result == {"advocacy_consent": kept}


def test_a_short_question_is_answered_instead_of_kept_as_the_summary(dispatcher):
    result = validate(
        ValidateAdvocacyForm(),
        "advocacy_summary",
        "how long does this take?",
        "out_of_scope",
        dispatcher=dispatcher,
    )
    assert result == {"advocacy_summary": None}
    assert "two business days" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    "typed",
    [
        "When I called, they hung up on me and my benefits were cut off last month",
        "My landlord won't fix the heat. Can they do that? I have a toddler and it's freezing in here.",
    ],
)
def test_an_account_that_asks_things_is_kept_as_the_summary(dispatcher, typed):
    assert validate(
        ValidateAdvocacyForm(), "advocacy_summary", typed, "individual_advocacy", dispatcher=dispatcher
    ) == {"advocacy_summary": typed}


# -- call back and newsletter ------------------------------------------------------------------


def test_a_question_in_the_call_back_is_answered_and_the_number_asked_again(dispatcher):
    result = validate(
        ValidateCallbackForm(),
        "callback_phone",
        "when will they call?",
        "out_of_scope",
        dispatcher=dispatcher,
    )
    assert result == {"callback_phone": None}
    [message] = dispatcher.messages
    assert "calls back" in message["text"]


def test_a_zip_is_not_consent_to_a_call_back(dispatcher):
    assert validate(ValidateCallbackForm(), "callback_consent", "19104", dispatcher=dispatcher) == {
        "callback_consent": None
    }
    assert validate(
        ValidateCallbackForm(), "callback_consent", "yes please", "affirm", value=True, dispatcher=dispatcher
    ) == {"callback_consent": True}


def test_a_privacy_question_in_the_newsletter_is_answered(dispatcher):
    result = validate(
        ValidateNewsletterForm(),
        "newsletter_email",
        "what will you do with my email?",
        "privacy",
        dispatcher=dispatcher,
    )
    assert result == {"newsletter_email": None}
    assert "only to send the newsletter" in dispatcher.messages[0]["text"]
    assert "doesn't look like an email" not in dispatcher.messages[0]["text"]


def test_a_zip_is_not_consent_to_the_newsletter(dispatcher):
    assert validate(ValidateNewsletterForm(), "newsletter_consent", "19143", dispatcher=dispatcher) == {
        "newsletter_consent": None
    }


def test_contact_details_are_a_real_phone_or_email():
    assert contact_details("2155550123")
    assert not contact_details("0000000000")
    assert not contact_details("at home")
