"""A typed "yes" or "no" answers whatever yes/no question the assistant just asked.

Every yes/no question is asked with buttons, and the buttons already say what each answer
means: "Yes, call me back" carries ``/request_callback``, the fallback's "Yes" carries the
intent it guessed. So nothing else has to remember the question: ``action_answer_yes_no``
reads the last bot message's buttons from the tracker, picks the one a typed "yes"
("yeah", "sure", "si", "yes please connect me") or "no" ("nah", "no thanks") stands for,
and replays the caller's message as if that button had been pressed, the same way Rasa's
own fallback replays a clarified message: the caller's message is reverted and uttered
again with the button's intent and entities, so the rules that answer the button answer it.

Rules that answer affirm or deny after a particular action (the next need, "safe right
now", no call back) are longer than the generic rule and win; a form asking for consent
takes the answer itself. A crisis is never an affirm or deny: the crisis intent wins first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, language_of, utter
from bot.copy import reply_language, say
from bot.messages import Language, Message

YES_WORDS = (
    r"yes|yeah|yea|yah|ya|yep|yup|y|sure|ok|okay|k|please|si|sí|claro|correct|right|"
    r"of course|absolutely|definitely|certainly|i do|i would|that's right|thats right"
)
NO_WORDS = r"no|nah|nope|n|not now|not really|no thanks|no thank you|never mind|nevermind|don't|dont"
YES = re.compile(rf"^\W*({YES_WORDS})\b", re.IGNORECASE)
NO = re.compile(rf"^\W*({NO_WORDS})\b", re.IGNORECASE)
# What a button's title says: "Yes, call me back", "Sí", "No thanks", "No, something else".
YES_TITLE = re.compile(r"^\W*(yes|yeah|sí|si|ok|sure|please)\b", re.IGNORECASE)
NO_TITLE = re.compile(r"^\W*(no|not now|nah)\b", re.IGNORECASE)
PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?\s*$", re.DOTALL)

# In English, for tests; said in the caller's language (the catalog's yes_no.* and
# crisis.no_to_safety).
NOTHING_ASKED_YES = say("yes_no.nothing_asked_yes")
NOTHING_ASKED_NO = say("yes_no.nothing_asked_no")
ANSWER_THE_QUESTION = say("yes_no.answer_the_question")
# A "no" to a crisis response ("I'm safe right now" / "I'm in danger right now") is never
# taken lightly: the lines again, and the same choices.
CRISIS_NO = say("crisis.no_to_safety")
# How "is there anything else?" ends, in each language (utter_youre_welcome, utter_next_need_declined).
ANYTHING_ELSE = ("anything else", "algo más")


def answer_of(tracker: Tracker) -> str | None:
    """'yes', 'no', or None, from the intent and, failing that, the words."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    if intent == "affirm":
        return "yes"
    if intent in ("deny", "skip"):
        return "no"
    text = message.get("text") or ""
    if NO.match(text):
        return "no"
    if YES.match(text):
        return "yes"
    return None


def last_bot_message(tracker: Tracker) -> dict[str, Any] | None:
    """The bot's last message before the caller's latest one."""
    events = list(tracker.events)
    # Skip back past the latest user message (and whatever followed it).
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            events = events[:index]
            break
    for event in reversed(events):
        if event.get("event") == "bot":
            return event
        if event.get("event") == "user":
            return None  # the caller spoke twice without an answer in between
    return None


def buttons_of(event: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not event:
        return []
    data = event.get("data") or {}
    return [button for button in data.get("buttons") or [] if isinstance(button, dict)]


def button_for(buttons: list[dict[str, Any]], answer: str) -> dict[str, Any] | None:
    """The button a typed yes or no stands for: the one titled so, or carrying /affirm or /deny."""
    title_pattern, plain = (YES_TITLE, "/affirm") if answer == "yes" else (NO_TITLE, "/deny")
    for button in buttons:
        payload = str(button.get("payload") or "")
        if payload.split("{")[0].strip() == plain or title_pattern.match(str(button.get("title") or "")):
            return button
    return None


def parse_payload(payload: str) -> tuple[str, list[dict[str, Any]]] | None:
    """``/intent{"entity": "value"}`` as an intent and entities, or None."""
    match = PAYLOAD.match(payload.strip())
    if not match:
        return None
    entities: list[dict[str, Any]] = []
    if match.group("entities"):
        try:
            values = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(values, dict):
            return None
        entities = [{"entity": name, "value": value} for name, value in values.items()]
    return match.group("intent"), entities


def pressed(tracker: Tracker, button: dict[str, Any]) -> list[EventType] | None:
    """The caller's latest message again, as if ``button`` had been pressed; None if it cannot be."""
    parsed = parse_payload(str(button.get("payload") or ""))
    if parsed is None:
        return None
    intent, entities = parsed
    message = tracker.latest_message or {}
    if intent == (message.get("intent") or {}).get("name"):
        return None  # the message already is the button's answer: nothing more to follow
    text = message.get("text") or str(button.get("payload"))
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities,
        "typed_answer_to": button.get("title"),
    }
    channel = message.get("input_channel")
    return [
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered(text, parse_data=parse_data, input_channel=channel),
    ]


def answers_a_question(tracker: Tracker) -> bool:
    """Whether the caller's latest message is a bare yes or no ("si", "nah") to a question with
    Yes/No buttons, whatever intent the classifier gave it."""
    text = str((tracker.latest_message or {}).get("text") or "")
    answer = answer_of(tracker)
    if answer is None or len(text.split()) > 3:
        return False
    return button_for(buttons_of(last_bot_message(tracker)), answer) is not None


def asks_for_anything_else(event: dict[str, Any] | None) -> bool:
    text = str((event or {}).get("text") or "").lower()
    return any(words in text for words in ANYTHING_ELSE) and text.rstrip().endswith("?")


class ActionAnswerYesNo(CallerAction):
    def name(self) -> str:
        return "action_answer_yes_no"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        answer = answer_of(tracker) or "yes"
        question = last_bot_message(tracker)
        choices = buttons_of(question)
        if answer == "no" and any(str(b.get("payload") or "").startswith("/crisis") for b in choices):
            # In the language of the crisis response whose choices these are.
            language = reply_language(tracker.get_slot("crisis_language") or language_of(tracker))
            text = say("crisis.no_to_safety", language)
            dispatcher.utter_message(**Message.of(Language(language=language), choices, text=text).to_rasa())
            return []
        button = button_for(choices, answer)
        if button is not None:
            events = pressed(tracker, button)
            if events is not None:
                return events
        loop = (tracker.active_loop or {}).get("name")
        if loop:
            # An answer the open form could not take: say so, and the form asks its question again.
            utter(dispatcher, tracker, "yes_no.answer_the_question")
            return [FollowupAction(loop)]
        if answer == "no" and asks_for_anything_else(question):
            dispatcher.utter_message(response="utter_goodbye")
            return []
        utter(
            dispatcher, tracker, "yes_no.nothing_asked_yes" if answer == "yes" else "yes_no.nothing_asked_no"
        )
        return []
