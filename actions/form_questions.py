"""Questions a caller asks in the middle of a form, and answers that are not what was asked.

The advocacy intake, the call back and the newsletter each ask for something (a summary,
contact details, an email, a yes or no). A caller may ask a question instead ("how long
does that take?", "what do you do with this?", "is this a bot?"): it is answered, and the
form asks its question again. A question is never kept as contact details, and nothing
but a yes or a no is kept as consent. The validators in ``actions/forms.py`` and
``actions/handoff.py`` call ``answer_question`` and ``read_consent`` from here.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, utter
from actions.yes_no import NO, YES
from bot.programs import advocate_hours_text, valid_email, valid_phone

# Intents that are questions about the assistant or the organisation, answered in place.
RESPONSES = {
    "what_can_you_do": "utter_what_can_you_do",
    "privacy": "utter_privacy",
    "bot_challenge": "utter_iamabot",
}
PROGRAMS = {
    "become_advocate": "become_advocate",
    "peer_specialist_practicum": "peer_specialist_practicum",
    "peer_training": "peer_training",
}
HOW_LONG = re.compile(
    r"\b(how long|how soon|when will|when would|when do|when does|how quickly|how many days)\b", re.I
)
WHAT_FOR = re.compile(
    r"\b(what (do|will|would) (you|they|u) do with|what (is|s) (this|it|that) for|why do (you|u) need|"
    r"who (sees|will see|gets|can see|reads)|what happens (to|with|next|now|after)|is (this|it) (private|"
    r"confidential|safe|secure)|do you (share|sell|keep))\b",
    re.I,
)
BOT = re.compile(
    r"\b(are you (a |an )?(bot|robot|real|human|person|computer|ai)|is this (a )?(bot|robot|real))\b", re.I
)
WHAT_CAN = re.compile(
    r"\b(what can you do|how does (this|it) work|what is (this|wayfinder)|what do you do)\b", re.I
)
QUESTION_START = re.compile(
    r"^\W*(what|whats|what's|why|how|when|where|who|which|can|could|do|does|is|are|will|would|should)\s",
    re.I,
)
PHONE_LIKE = re.compile(r"(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}")
EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# The forms that ask for something, each with what it does with it (the catalog's
# form.use.<form>) and how long it takes (form.timing.<form>).
FORMS = ("advocacy_form", "callback_form", "newsletter_form")


def latest(tracker: Tracker) -> tuple[str, str]:
    message = tracker.latest_message or {}
    return (message.get("intent") or {}).get("name") or "", (message.get("text") or "").strip()


def is_question(text: str, account: bool = False) -> bool:
    """A question, by its question mark or its first word. In an ``account`` (the advocacy
    summary, where "When I called, they hung up" is an answer), only a short one with a question mark."""
    if account:
        return text.endswith("?") and len(text.split()) <= 15
    return text.endswith("?") or (bool(QUESTION_START.match(text)) and len(text.split()) <= 12)


def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, form: str, account: bool = False
) -> bool:
    """Answer the caller's latest message if it is a question; True when it was one.

    A question nothing here can answer is still met with a reply; the form then asks again.
    ``account``: the message answers a request for an account in the caller's words, so it
    counts as a question only by its intent, or when it is short and ends with a question mark."""
    intent, text = latest(tracker)
    asked = is_question(text, account)
    by_intent = intent in PROGRAMS or intent in RESPONSES
    if account and not (asked or (by_intent and len(text.split()) <= 15)):
        return False
    language = language_of(tracker)
    if intent in PROGRAMS:
        utter(dispatcher, tracker, f"program.{PROGRAMS[intent]}")
        return True
    if HOW_LONG.search(text) and asked:
        utter(dispatcher, tracker, f"form.timing.{form}", hours=advocate_hours_text(language))
        return True
    if WHAT_FOR.search(text):
        utter(dispatcher, tracker, f"form.use.{form}")
        return True
    if BOT.search(text) or intent == "bot_challenge":
        dispatcher.utter_message(response="utter_iamabot")
        return True
    if intent in RESPONSES:
        dispatcher.utter_message(response=RESPONSES[intent])
        return True
    if WHAT_CAN.search(text):
        dispatcher.utter_message(response="utter_what_can_you_do")
        return True
    if asked or intent == "out_of_scope":
        utter(dispatcher, tracker, "form.cannot_answer")
        return True
    return False


def read_consent(value: Any, tracker: Tracker) -> bool | None:
    """True or False for a yes or no; None for anything else (a ZIP, a question, a name)."""
    if value is True or value is False:
        return value
    intent, text = latest(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    if len(text.split()) <= 6 and not any(ch.isdigit() for ch in text):
        if NO.match(text):
            return False
        if YES.match(text):
            return True
    return None


def consent(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, form: str
) -> dict[str, Any]:
    """A consent slot's validation: a yes or a no, else an answer if asked, and the buttons again."""
    answer = read_consent(value, tracker)
    if answer is None and not answer_question(dispatcher, tracker, form):
        utter(dispatcher, tracker, "form.need_yes_no")
    return {slot: answer}


def contact_details(text: str) -> str | None:
    """The contact details in an answer (a phone number or an email, and any times), or None."""
    if EMAIL_LIKE.search(text) and valid_email(EMAIL_LIKE.search(text).group(0)):
        return text
    match = PHONE_LIKE.search(text)
    if match and valid_phone(match.group(0)):
        return text
    return None
