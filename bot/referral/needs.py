"""What a caller needs, as one typed value: the core's language for a referral.

The conversation collects it (Rasa slots, converted in ``actions/needs.py`` only), the
search reads it (``CallerNeeds.query``), a relaxation changes it
(``CallerNeeds.relaxed``) and the handoff summary shows it (``CallerNeeds.summary``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace

from bot.copy import reply_language
from bot.directory import SearchQuery
from bot.nlp.understanding import ANY_TIME, day_codes

SKIP = "skip"
DEFAULT_RADIUS = 10.0
MAX_RADIUS = 500.0
# Parts of the day as the times a caller can come: (from, until).
PARTS_OF_DAY = {
    "morning": (None, "12:00"),
    "afternoon": ("12:00", "17:00"),
    "evening": ("17:00", None),
    "tonight": ("17:00", None),
}
# Needs met the moment a caller turns up: "now" in their words means open now. For the rest
# ("a therapist, I can't leave the house right now") it ranks, and only the caller's
# "which is open now?" filters.
NEEDS_OF_THE_MOMENT = frozenset(
    {"crisis_walk_in", "mobile_crisis", "warmline", "crisis_lines", "shelter", "food", "detox", "basic_needs"}
)
_TIME = re.compile(r"^(after|before)\s+(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class When:
    """When the caller can go: right now, today, some days, after or before a time."""

    now: bool = False  # the caller said "now"
    open_now: bool = False  # the caller asked which services are open now
    today: bool = False
    days: tuple[str, ...] = ()
    after: str | None = None  # "HH:MM"
    before: str | None = None
    # "after 6 or Saturdays": days the caller can go at any hour, the other choice to the times.
    any_time_days: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Iterable[str]) -> When:
        """From the ``when`` entity's canonical values: "now", "today", "weekend", "SA", "after 18:00"..."""
        now = open_now = today = False
        days: list[str] = []
        any_time: list[str] = []
        after = before = part_after = part_before = None
        for raw in values:
            value = str(raw).strip()
            key = value.casefold()
            if key.endswith(ANY_TIME):
                any_time += day_codes(key.removesuffix(ANY_TIME))
            elif key == "now":
                now = True
            elif key == "open now":
                open_now = True
            elif key == "today":
                today = True
            elif codes := day_codes(value):
                days += codes
            elif key in PARTS_OF_DAY:
                # A clock said beside a part of the day is the narrower: "8 to 10 in the morning".
                start, end = PARTS_OF_DAY[key]
                part_after, part_before = start or part_after, end or part_before
                today = today or key == "tonight"
            elif match := _TIME.match(key):
                clock = f"{int(match.group(2)):02d}:{match.group(3)}"
                if match.group(1) == "after":
                    after = clock
                else:
                    before = clock
        after, before = after or part_after, before or part_before
        if not after and not before:  # no time to be the other choice to: plain days
            days, any_time = days + any_time, []
        return cls(
            now, open_now, today, tuple(dict.fromkeys(days)), after, before, tuple(dict.fromkeys(any_time))
        )

    def values(self) -> list[str]:
        """Back to canonical values, for the slot."""
        values = ["now"] if self.now else []
        values += ["open now"] if self.open_now else []
        values += (["today"] if self.today else []) + list(self.days)
        values += [f"after {self.after}"] if self.after else []
        values += [f"before {self.before}"] if self.before else []
        values += [f"{day}{ANY_TIME}" for day in self.any_time_days]
        return values

    def __bool__(self) -> bool:
        return bool(self.values())


@dataclass(frozen=True)
class CallerNeeds:
    """Everything a search needs, and whom it is for (another person's age and insurance)."""

    need: str | None = None
    pending: tuple[str, ...] = ()  # other needs mentioned, offered next
    location: str | None = None  # a ZIP code or a gazetteer place label
    payment: str | None = None
    age: int | None = None
    relation: str | None = None  # who the help is for: None or "self" is the caller
    population: str | None = None
    language: str | None = None  # ISO 639: the language the caller asked staff to speak
    speaks: str | None = None  # ISO 639: the language the caller writes in (ranks, never filters)
    access: str | None = None  # walk_in | telehealth | home_visits | same_day ...
    when: When = field(default_factory=When)
    excluded: tuple[str, ...] = ()  # service ids the caller turned down
    radius: float = DEFAULT_RADIUS
    skipped: frozenset[str] = frozenset()  # questions the caller chose not to answer

    def answered(self, question: str) -> bool:
        return question in self.skipped or getattr(self, question) is not None

    def query(self, limit: int = 50) -> SearchQuery:
        zip_code = place = None
        if self.location:
            if re.fullmatch(r"\d{5}(-\d{4})?", self.location):
                zip_code = self.location
            else:
                place = self.location
        language, population = self.language, self.population
        if population == "spanish_speaking":
            language, population = language or "es", None
        return SearchQuery(
            need=self.need,
            zip_code=zip_code,
            place=place,
            radius_miles=self.radius,
            payment=self.payment,
            age=self.age,
            language=language,
            # A population ranks services for that group first; it never hides the others
            # (a 67-year-old is not only served by services tagged for older adults).
            prefer_population=population,
            prefer_language=self.speaks if self.speaks != "en" else None,
            reply_language=reply_language(self.speaks),
            open_now=self.when.open_now or (self.need in NEEDS_OF_THE_MOMENT and self.when.now),
            open_today=self.when.today,
            days=self.when.days,
            open_after=self.when.after,
            open_before=self.when.before,
            days_any_time=self.when.any_time_days,
            walk_in=self.access == "walk_in",
            telehealth=self.access == "telehealth",
            home_visits=self.access == "home_visits",
            exclude=self.excluded,
            look_further=True,
            limit=limit,
        )

    def relaxed(self, change: Mapping[str, object]) -> CallerNeeds:
        """These needs with a search relaxation's change (SearchQuery fields) applied."""
        updates: dict[str, object] = {}
        when = self.when
        for name, value in change.items():
            if name == "radius_miles":
                updates["radius"] = min(MAX_RADIUS, float(value))
            elif name in ("need", "payment", "age", "language"):
                updates[name] = value
                if value is None and name in ("payment", "age"):
                    updates["skipped"] = self.skipped | {name}
                if name == "language" and self.population == "spanish_speaking":
                    updates["population"] = None
            elif name in ("population", "prefer_population"):
                updates["population"] = value
            elif name in ("walk_in", "telehealth", "home_visits") and not value:
                updates["access"] = None
            elif name == "open_now" and not value:
                when = replace(when, now=False, open_now=False)
                if self.access == "same_day":
                    updates["access"] = None
            elif name == "open_today" and not value:
                when = replace(when, today=False)
            elif name in ("days", "open_on"):
                when = replace(when, days=(), any_time_days=())
            elif name == "open_after":
                when = replace(when, after=value)
            elif name == "open_before":
                when = replace(when, before=value)
            elif name == "exclude":
                updates["excluded"] = tuple(value or ())
        return replace(self, **updates, when=when)

    def excluding(self, service_ids: Iterable[str]) -> CallerNeeds:
        return replace(self, excluded=tuple(dict.fromkeys([*self.excluded, *service_ids])))

    def summary(self) -> dict:
        """What an advocate reads in the queue: the answers given, "skip" where declined."""
        facts = {
            "need": self.need,
            "pending_needs": list(self.pending),
            "location": self.location,
            "payment": self.payment,
            "age": self.age,
            "relation": self.relation,
            "population": self.population,
            "language": self.language,
            "speaks": self.speaks,
            "access": self.access,
            "when": self.when.values(),
            "excluded": list(self.excluded),
        }
        for question in self.skipped:
            if facts.get(question) is None:
                facts[question] = SKIP
        return {name: value for name, value in facts.items() if value not in (None, [], "")}

    def as_dict(self) -> dict:
        return asdict(self)
