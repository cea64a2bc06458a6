"""Validation of the forms' answers: the referral questions, the newsletter, advocacy intake."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerForm, directory, entity_values, language_of, utter, utter_text, vocabulary
from actions.form_questions import answer_question, consent, contact_details
from actions.questions import skip_buttons
from actions.search import leave_out, when_noted
from bot import referral
from bot.directory import PlaceError
from bot.nlp.understanding import (
    CONDITION_WORDS,
    NEED_CLASSIFIER,
    ORDER_UNSURE,
    SAID_FIRST,
    asks_for_something,
    corrects_the_need,
)
from bot.programs import MAX_SUMMARY, valid_email

Slots = dict[str, Any]
OTHER_ANSWERS = ("age", "relation", "payment", "population", "language", "need", "access")


# How specific a kind of place is: a ZIP names less ground than a neighbourhood, a town, a county.
PLACE_SPECIFICITY = {"zip": 0, "neighborhood": 1, "landmark": 2, "town": 3}


def most_specific_place(tracker: Tracker, value: Any) -> Any:
    """Of several places in one message ("Upper Darby ... Delaware County"), the smallest;
    Rasa fills the slot with the last one said."""
    mentioned = entity_values(tracker, "zip") + entity_values(tracker, "place")
    if len(mentioned) < 2 or str(value) not in mentioned:
        return value

    def rank(text: str) -> tuple[int, int]:
        try:
            place = directory().gazetteer.resolve(text)
        except (PlaceError, ValueError):
            return (9, mentioned.index(text))
        county = "county" in place.label.casefold()
        return (4 if county else PLACE_SPECIFICITY.get(place.kind, 3), mentioned.index(text))

    return min(mentioned, key=rank)


# The refusals of the message in hand: read once a turn (by the form's run, for the services to
# leave out, and by the place's validation), not twice. Each entry keeps its names mapping
# alive, so that the mapping's id in the key is never another's.
_REFUSALS: OrderedDict[tuple[str, int], tuple[object, list]] = OrderedDict()


def refusals_in(text: str) -> list[tuple[list[str], int, int]]:
    names = directory().names()
    key = (text, id(names))
    if key not in _REFUSALS:
        _REFUSALS[key] = (names, referral.refusals(text, names))
        while len(_REFUSALS) > 32:
            _REFUSALS.popitem(last=False)
    return _REFUSALS[key][1]


def not_a_refused_services_place(tracker: Tracker, value: Any) -> Any:
    """A place said in a clause that turns a service down ("and not Riverward on Frankford Ave")
    is that service's: the caller's is another place they said, or the one they gave before."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    if value is None or not referral.TURNING_DOWN.search(text):
        return value
    spans = [(start, end) for _services, start, end in refusals_in(text)]
    places = [e for e in latest.get("entities") or [] if e.get("entity") in ("place", "zip") and "start" in e]
    refused = {str(e.get("value")) for e in places if any(start <= e["start"] < end for start, end in spans)}
    if str(value) not in refused:
        return value
    others = [str(e.get("value")) for e in places if str(e.get("value")) not in refused]
    return others[0] if others else previous_value(tracker, "location")


def previous_value(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the caller's latest message."""
    events = list(tracker.events)
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    return value_before(events, slot, latest_user)


def value_before(events: list[dict], slot: str, index: int) -> Any:
    """The slot's value as the events before ``index`` left it (None when never set)."""
    for event in reversed(events[:index]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def order_unsure(tracker: Tracker) -> bool:
    """Whether the caller's latest message named needs without saying which comes first."""
    entities = (tracker.latest_message or {}).get("entities") or []
    first = next((e for e in entities if e.get("entity") == "need"), None)
    return bool(first and first.get(ORDER_UNSURE))


def chosen_need(text: str, choices: list[str]) -> str | None:
    """A typed answer to "which should we start with?": a number, "the first", "either"."""
    said = text.strip().casefold()
    number = re.fullmatch(r"(?:number|option|#)?\s*(\d)\s*[.!]?", said)
    if number:
        index = int(number.group(1))
        return choices[index - 1] if 1 <= index <= len(choices) else None
    if re.search(
        r"\b(?:first|former|either|any|both|whichever|whatever|you (?:pick|choose|decide)|doesn'?t matter|"
        r"no preference|not sure|i don'?t know|i dont know|idk|dunno)\b"
        r"|^(?:yes|yeah|yep|ok|okay|sure|si|sí)\b",
        said,
    ):
        return choices[0]
    if re.search(r"\b(?:second|latter|last|other)\b", said) and len(choices) > 1:
        return choices[1]
    return None


# Between a payment and a need that names it again ("the state insurance, the access card").
APPOSITION = re.compile(
    r"[\s,;:/()-]*(?:(?:the|my|a|an|or|aka|el|la|mi|o|sea)\b[\s,;:/()-]*)*", re.IGNORECASE
)


def said_with_payment(text: str, need: dict, start: int, end: int) -> bool:
    """Whether a need entity is the words of the payment at ``start:end``: on them, or beside them
    with nothing but punctuation and articles between ("... insurance, the access card")."""
    need_start, need_end = need.get("start", 0), need.get("end", 0)
    if need_start < end and start < need_end:
        return True
    gap = text[end:need_start] if need_start >= end else text[need_end:start]
    return APPOSITION.fullmatch(gap) is not None


def needs_in_another_answer(latest: dict, current: str) -> tuple[list[str], bool]:
    """The needs to take from a message that answered another question, current first, and
    whether the current need was taken back.

    An answer ("Medical Assistance" when asked how they'd pay) keeps the need being searched,
    and a need named in it waits its turn, unless the caller puts it first in words ("food
    first, then the snap"), or takes back what they asked for ("actually no wait, what I need
    is a case worker"): then the named need is searched instead. A need read from the words
    of a payment ("the access card") is the payment, and one read from a condition's name
    alone is context; the whole-message classifier's guess counts only in a correction that
    says what the caller needs (not one of who it is for: "it's for my mom, she has Medicare").
    ``latest`` is the message, as Rasa parsed it."""
    text = latest.get("text") or ""
    entities = latest.get("entities") or []
    paid = [(e.get("start", 0), e.get("end", 0)) for e in entities if e.get("entity") == "payment"]
    needs = [
        e
        for e in entities
        if e.get("entity") == "need"
        and not any(said_with_payment(text, e, start, end) for start, end in paid)
        # "my son has schizophrenia", said while answering where: why they ask, not a new request.
        and not (e.get("end") and CONDITION_WORDS.fullmatch(text[e.get("start", 0) : e["end"]]))
    ]
    if corrects_the_need(text):
        guessed_counts = asks_for_something(text)
        instead = [
            str(e.get("value"))
            for e in needs
            if str(e.get("value")) != current and (guessed_counts or e.get("extractor") != NEED_CLASSIFIER)
        ]
        if instead:
            return instead, True
    named = [str(e.get("value")) for e in needs if e.get("extractor") != NEED_CLASSIFIER]
    if needs and needs[0].get(SAID_FIRST) and str(needs[0].get("value")) != current:
        return [str(needs[0].get("value")), current, *named], False
    return [current, *named], False


class ValidateReferralForm(CallerForm):
    def name(self) -> str:
        return "validate_referral_form"

    def before_validation(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        # "I work til 5, and not Riverward, I went there last year", said while answering a
        # question: the answer is taken, and the service is left out of the search.
        # The directory's names are read only for a message with a refusal in it ("no", "not"...),
        # not on every answer.
        text = (tracker.latest_message or {}).get("text") or ""
        already = set(tracker.get_slot("excluded") or [])
        refuses = tracker.get_intent_of_latest_message() != "exclude_option" and referral.TURNING_DOWN.search(
            text
        )
        turned_down = []
        if refuses:
            for services, _start, _end in refusals_in(text):
                turned_down += [s for s in services if s not in already and s not in turned_down]
        left_out = []
        if turned_down:
            left_out = [SlotSet("excluded", list(leave_out(dispatcher, tracker, turned_down).excluded))]
        return left_out + when_noted(dispatcher, tracker)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[str]:
        """Only what this need requires: a food pantry needs no insurance question."""
        asked = referral.questions_for(directory().taxonomy, tracker.get_slot("need"))
        return ["need"] + [slot for slot in domain_slots if slot in asked]

    async def extract_need(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        """ "The first one" or "2" after being asked which need to start with."""
        pending = tracker.get_slot("pending_needs") or []
        if tracker.get_slot("need") or tracker.get_slot("requested_slot") != "need" or len(pending) < 2:
            return {}
        if entity_values(tracker, "need"):
            return {}  # named: the slot mapping has it
        choice = chosen_need((tracker.latest_message or {}).get("text") or "", pending)
        return {"need": choice} if choice else {}

    def validate_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        mentioned = entity_values(tracker, "need") or ([str(value)] if value else [])
        current = previous_value(tracker, "need")
        replaced = False
        if current and tracker.get_slot("requested_slot") not in (None, "need"):
            mentioned, replaced = needs_in_another_answer(tracker.latest_message or {}, current)
        need, others = referral.read_need(vocabulary(), mentioned)
        if need is None:
            utter(dispatcher, tracker, "need.unknown")
            return {"need": None}
        if others and not current and order_unsure(tracker):
            # Two needs and no word of which first: ask (action_ask_need offers both).
            return {"need": None, "pending_needs": [need, *others], "results": [], "results_shown": 0.0}
        pending = [code for code in (tracker.get_slot("pending_needs") or []) if code != need]
        pending += [code for code in others if code not in pending]
        language = language_of(tracker)
        if replaced:
            utter(
                dispatcher,
                tracker,
                "need.instead",
                need=referral.need_label(directory().taxonomy, need, language),
            )
        if others:
            labels = ", ".join(referral.need_label(directory().taxonomy, code, language) for code in others)
            utter(dispatcher, tracker, "need.noted", needs=labels)
        return {"need": need, "pending_needs": pending, "results": [], "results_shown": 0.0}

    def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        value = not_a_refused_services_place(tracker, most_specific_place(tracker, value))
        if value is None:
            return {"location": None}  # asked again
        answer = referral.read_location(directory(), str(value), language_of(tracker))
        # The whole message taken as a place while it answered something else.
        free_text = str(value) == (tracker.latest_message or {}).get("text")
        answered_else = free_text and any(entity_values(tracker, name) for name in OTHER_ANSWERS)
        if answer.problem and not answered_else:
            # "for my mom, she's 70" when asked where: an answer to another question, not a bad place.
            utter_text(dispatcher, tracker, answer.problem)
        return {"location": answer.value}

    def validate_payment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        # "Medicare, not Medical Assistance": Rasa fills the slot with the last value said;
        # the first is the one the caller means (negated ones never reach here).
        payments = entity_values(tracker, "payment")
        if payments and str(value) in payments:
            value = payments[0]
        answer = referral.read_payment(
            vocabulary(), str(value) if value is not None else None, language_of(tracker)
        )
        if answer.problem:
            utter_text(dispatcher, tracker, answer.problem)
        return {"payment": answer.value}

    def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        answer = referral.read_age(str(value) if value is not None else None, language_of(tracker))
        if answer.problem:
            utter_text(dispatcher, tracker, answer.problem, skip_buttons(tracker, answer_is_a_number=True))
        return {"age": answer.value}


class ValidateNewsletterForm(CallerForm):
    def name(self) -> str:
        return "validate_newsletter_form"

    def validate_newsletter_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        email = valid_email(str(value) if value else None)
        if email is None and not answer_question(dispatcher, tracker, "newsletter_form"):
            utter(dispatcher, tracker, "newsletter.not_an_email")
        return {"newsletter_email": email}

    def validate_newsletter_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return consent("newsletter_consent", value, dispatcher, tracker, "newsletter_form")


class ValidateAdvocacyForm(CallerForm):
    """The intake: a question is answered and the same question asked again, never kept as an answer."""

    def name(self) -> str:
        return "validate_advocacy_form"

    def validate_advocacy_summary(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        summary = str(value or "").strip()
        if answer_question(dispatcher, tracker, "advocacy_form", account=True):
            return {"advocacy_summary": None}
        if len(summary) < 10:
            utter(dispatcher, tracker, "advocacy.more")
            return {"advocacy_summary": None}
        if len(summary) > MAX_SUMMARY:
            utter(dispatcher, tracker, "advocacy.too_long")
        return {"advocacy_summary": summary[:MAX_SUMMARY]}

    def validate_advocacy_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        contact = str(value or "").strip()[:500]
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == "skip" or contact.lower() in (
            "",
            referral.SKIP,
            "skip it",
            "no contact",
            "paso",
            "saltar",
        ):
            return {"advocacy_contact": referral.SKIP}
        if contact_details(contact):
            return {"advocacy_contact": contact}
        if not answer_question(dispatcher, tracker, "advocacy_form"):
            utter(dispatcher, tracker, "advocacy.need_contact", buttons=skip_buttons(tracker))
        return {"advocacy_contact": None}

    def validate_advocacy_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return consent("advocacy_consent", value, dispatcher, tracker, "advocacy_form")
