"""The one place where Rasa slots become a ``CallerNeeds`` and back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.handoff.summary import conversation_summary
from bot.nlp.vocabulary import age_from_text
from bot.referral import DEFAULT_RADIUS, SKIP, CallerNeeds, When, language_code

# Every slot a CallerNeeds is made of.
NEEDS_SLOTS = (
    "need",
    "pending_needs",
    "location",
    "payment",
    "age",
    "relation",
    "population",
    "language",
    "access",
    "when",
    "excluded",
    "radius",
    "caller_language",
)


def caller_needs(tracker: Tracker, **changes: Any) -> CallerNeeds:
    """What the conversation has collected, with ``changes`` (slot name -> value) on top."""
    slots = {name: tracker.get_slot(name) for name in NEEDS_SLOTS} | changes
    skipped = frozenset(name for name in ("location", "payment", "age") if slots.get(name) == SKIP)

    def answer(name: str) -> str | None:
        value = slots.get(name)
        return None if value in (None, "", SKIP) else str(value)

    age = answer("age")
    when = slots.get("when") or []
    return CallerNeeds(
        need=answer("need"),
        pending=tuple(slots.get("pending_needs") or ()),
        location=answer("location"),
        payment=answer("payment"),
        # The ruler's span may carry its cue ("is 15"); a value nobody validated must not crash a search.
        age=age_from_text(age) if age else None,
        relation=answer("relation"),
        population=answer("population"),
        language=language_code(answer("language")),
        speaks=answer("caller_language"),
        access=answer("access"),
        when=When.from_values([when] if isinstance(when, str) else when),
        excluded=tuple(slots.get("excluded") or ()),
        radius=float(slots.get("radius") or DEFAULT_RADIUS),
        skipped=skipped,
    )


def needs_slots(needs: CallerNeeds) -> list[EventType]:
    """The slot events that store ``needs``."""

    def answer(name: str, value: object) -> object:
        return SKIP if value is None and name in needs.skipped else value

    return [
        SlotSet("need", needs.need),
        SlotSet("pending_needs", list(needs.pending)),
        SlotSet("location", answer("location", needs.location)),
        SlotSet("payment", answer("payment", needs.payment)),
        SlotSet("age", answer("age", None if needs.age is None else str(needs.age))),
        SlotSet("relation", needs.relation),
        SlotSet("population", needs.population),
        SlotSet("language", needs.language),
        SlotSet("access", needs.access),
        SlotSet("when", needs.when.values() or None),
        SlotSet("excluded", list(needs.excluded) or None),
        SlotSet("radius", needs.radius if needs.radius != DEFAULT_RADIUS else None),
    ]


def handoff_summary(tracker: Tracker) -> dict:
    """What an advocate reads about this conversation in the queue."""
    results = tracker.get_slot("results") or []
    given = results[: int(tracker.get_slot("results_shown") or 0)]
    return conversation_summary(caller_needs(tracker), given)
