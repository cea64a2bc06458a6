"""Which services fit this caller best.

Eligibility is a hard filter: a service that does not offer the need, is out of
range, does not take the caller's payment, does not serve their age, language or
population, or is not open when asked, is never shown. Among the eligible,
``score`` ranks them (0-100):

====================  ======  ==============================================
part                  points  how
====================  ======  ==============================================
distance              40      40 x (1 - miles / radius); by phone or online: 15
category specificity  25      tagged with the exact need: 25; with a narrower
                              need inside it: 18; less for generalists (each
                              further need tagged costs 10%)
open now              15      open now: 15; opens later today: 5
language              10      lists the caller's language (English when none
                              asked): 10; lists no languages: 5
verification          10      verified within 6 months: 10, falling to 0 at 3 years
====================  ======  ==============================================

Ties go to the nearer service, then the name. Each result carries ``reasons``
(why it fits, in the caller's terms) and ``caveats`` (what to check).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone

import numpy as np
from sqlalchemy.engine import Connection

from bot.directory.hours import DAY_NAMES, DAYS, WeeklyHours
from bot.directory.memory import EPOCH, MemoryIndex
from bot.directory.places import Gazetteer, Place, PlaceError, distance_miles
from bot.directory.store import index_version
from bot.directory.taxonomy import NEEDS, PAYMENT, POPULATION, Taxonomy

# How often a process asks whether another one has rebuilt the index (seconds).
VERSION_CHECK_SECONDS = 1.0
# Opening hours add at most this many points: a row further behind cannot reach the top.
MAX_OPEN_POINTS = 15.0
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "ru": "Russian",
    "ase": "ASL",
}


@dataclass
class SearchQuery:
    need: str | None = None
    zip_code: str | None = None
    place: str | None = None
    radius_miles: float = 10.0
    payment: str | None = None
    age: int | None = None
    language: str | None = None
    population: str | None = None
    free_or_sliding: bool = False
    open_now: bool = False
    open_on: str | None = None  # "MO" .. "SU"
    walk_in: bool = False
    telehealth: bool = False
    include_virtual: bool = True
    limit: int = 5

    def constraints(self) -> dict:
        """What was asked, without the defaults: for unmet-need records and messages."""
        defaults = SearchQuery()
        return {
            k: v
            for k, v in asdict(self).items()
            if v != getattr(defaults, k) and k not in ("zip_code", "place", "limit")
        }


@dataclass
class Result:
    service_id: str
    name: str
    organization: str | None
    distance_miles: float | None
    phone: str | None
    address: str | None
    url: str | None
    open_now: bool | None
    hours_today: str | None
    score: float
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    location_id: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Relaxation:
    constraint: str
    suggestion: str
    matches: int


@dataclass
class SearchResponse:
    query: SearchQuery
    results: list[Result]
    total: int
    place: Place | None = None
    notices: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "query": asdict(self.query),
            "place": asdict(self.place) if self.place else None,
            "total": self.total,
            "results": [result.as_dict() for result in self.results],
            "notices": self.notices,
            "relaxations": [asdict(r) for r in self.relaxations],
        }


def _top_services(services: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """The services holding the ``limit`` best scores, with every service tied at the edge."""
    best: dict[int, float] = {}
    for service, score in zip(services.tolist(), scores.tolist(), strict=True):
        if score > best.get(service, -1e9):
            best[service] = score
    ranked = sorted(best.values(), reverse=True)
    edge = ranked[min(limit, len(ranked)) - 1] - 0.01
    return np.array([service for service, score in best.items() if score >= edge], dtype=np.int64)


def _has(packed: str, code: str) -> bool:
    return f"|{code}|" in packed


def _codes(packed: str) -> list[str]:
    return [code for code in packed.split("|") if code]


class Searcher:
    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer):
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self._memory: MemoryIndex | None = None
        self._checked_at = 0.0

    def memory(self, conn: Connection) -> MemoryIndex:
        """The index in memory, reloaded when any process has rebuilt it since."""
        moment = time.monotonic()
        if self._memory is None or moment - self._checked_at > VERSION_CHECK_SECONDS:
            if self._memory is None or self._memory.version != index_version(conn):
                self._memory = MemoryIndex.load(conn)
            self._checked_at = moment
        return self._memory

    def forget(self) -> None:
        """This process just rebuilt the index: load it again on the next search."""
        self._memory = None

    def validate(self, query: SearchQuery) -> None:
        checks = ((query.need, NEEDS), (query.payment, PAYMENT), (query.population, POPULATION))
        for code, taxonomy in checks:
            if code is not None:
                self.taxonomy.term(taxonomy, code)
        if query.open_on is not None and query.open_on.upper()[:2] not in DAYS:
            raise ValueError(f"unknown day {query.open_on!r}: use MO, TU, WE, TH, FR, SA or SU")
        if query.age is not None and not 0 <= query.age <= 120:
            raise ValueError(f"age {query.age} is out of range")
        if not 0 < query.radius_miles <= 500:
            raise ValueError("radius must be between 0 and 500 miles")

    def locate(self, query: SearchQuery) -> Place | None:
        if query.zip_code:
            return self.gazetteer.resolve_zip(query.zip_code)
        if query.place:
            return self.gazetteer.resolve(query.place)
        return None

    def search(self, conn: Connection, query: SearchQuery, now: datetime | None = None) -> SearchResponse:
        """Rank the services that fit; raises PlaceError for an unknown ZIP or place."""
        self.validate(query)
        now = now or datetime.now(timezone.utc)
        place = self.locate(query)
        notices = []
        if place is not None and not place.in_region:
            notices.append(
                f"{place.label} is outside our service region ({self.gazetteer.region_name}): "
                "these are services you can reach by phone or online."
            )
        memory = self.memory(conn)
        results, total = self._rank(memory, query, place, now)
        response = SearchResponse(query, results, total, place, notices)
        if not total:
            response.relaxations = self.relaxations(memory, query, place, now)
        return response

    def _eligible(self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime):
        """Rows passing every hard filter, and their distances (NaN where none applies).

        The same filters as ``_fit``, as array operations; opening hours last, row by row.
        """
        keep = memory.active.copy()
        if query.age is not None:
            keep &= np.isnan(memory.minimum_age) | (memory.minimum_age <= query.age)
            keep &= np.isnan(memory.maximum_age) | (memory.maximum_age >= query.age)
        if query.need:
            keep &= memory.has("needs", self.taxonomy.with_descendants(NEEDS, query.need))
        if query.payment is not None:
            accepted = [query.payment, "free"] if query.payment == "sliding_fee" else [query.payment]
            keep &= memory.has("payments", accepted)
        if query.free_or_sliding:
            keep &= memory.has("payments", ["free", "sliding_fee"])
        if query.population is not None:
            keep &= memory.has("populations", [query.population])
        if query.language and query.language != "en":
            keep &= memory.has("languages", [query.language])
        if query.walk_in:
            keep &= memory.has("access", ["walk_in"])
        if query.telehealth:
            keep &= memory.has("access", ["telehealth"])
        distance = np.full(len(memory.rows), np.nan)
        if place is not None:
            if not place.in_region:
                keep &= memory.virtual
            else:
                span = query.radius_miles / 69.0
                near = keep & memory.has_coordinates & (np.abs(memory.latitude - place.latitude) <= span)
                located = np.flatnonzero(near)
                distance[located] = memory.distances(located, place.latitude, place.longitude)
                within = np.zeros(len(memory.rows), dtype=bool)
                within[located] = distance[located] <= query.radius_miles
                keep &= within | (memory.virtual if query.include_virtual else False)
        elif not query.include_virtual:
            keep &= ~memory.virtual
        indices = np.flatnonzero(keep)
        if query.open_now or query.open_on is not None:
            weekday = DAYS.index(query.open_on.upper()[:2]) if query.open_on is not None else None
            indices = np.array(
                [
                    i
                    for i in indices
                    if (weekly := memory.hours(i)) is not None
                    and (not query.open_now or weekly.is_open(now))
                    and (weekday is None or weekly.open_on(weekday))
                ],
                dtype=np.int64,
            )
        return indices, distance[indices]

    def _base_scores(self, memory, indices, distance, query: SearchQuery, place: Place | None, now: datetime):
        """Every part of the score but opening hours, for many rows at once (see the table above)."""
        virtual = memory.virtual[indices]
        if place is not None:
            distance_points = np.where(
                virtual, 15.0, 40.0 * (1 - np.nan_to_num(distance) / query.radius_miles)
            )
        else:
            distance_points = np.where(virtual, 15.0, 20.0)
        specificity = np.ones(len(indices))
        if query.need:
            exact = memory.has("needs", [query.need])[indices]
            specificity = np.where(exact, 1.0, 0.72) * 0.9 ** (memory.need_count[indices] - 1)
        languages = memory.masks["languages"][indices]
        spoken = memory.has("languages", [query.language or "en"])[indices]
        language_points = np.where(languages == 0, 5.0, np.where(spoken, 10.0, 0.0))
        age_days = (now.date() - EPOCH).days - memory.verified_day[indices]
        decay = np.maximum(0.0, 10.0 * (1 - (age_days - 182) / (3 * 365 - 182)))
        verified_points = np.where(
            memory.verified_day[indices] < 0, 0.0, np.where(age_days <= 182, 10.0, decay)
        )
        return distance_points + 25.0 * specificity + language_points + verified_points

    def _rank(self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime):
        """The best ``query.limit`` services and how many fit in all.

        Only rows whose service could still reach the top once opening hours are
        counted get the full treatment of ``_fit``: its score decides the order.
        """
        indices, distance = self._eligible(memory, query, place, now)
        if not len(indices):
            return [], 0
        base = self._base_scores(memory, indices, distance, query, place, now)
        services = memory.service[indices]
        order = np.lexsort((-base, services))
        first = np.ones(len(order), dtype=bool)
        first[1:] = services[order][1:] != services[order][:-1]
        best_per_service = base[order][first]
        total = len(best_per_service)
        if total > query.limit:
            # Services whose best row, even open now, cannot reach the k-th best are out.
            kth = np.partition(best_per_service, total - query.limit)[total - query.limit]
            contenders = np.unique(services[order][first][best_per_service + MAX_OPEN_POINTS + 0.01 >= kth])
            candidates = np.flatnonzero(np.isin(services, contenders))
            # Then the exact score of the rest (opening hours added), and the words only for the top.
            exact = base[candidates] + np.array(
                [self._open_points(memory, int(indices[p]), now) for p in candidates], dtype=float
            )
            top = _top_services(services[candidates], exact, query.limit)
            candidates = candidates[np.isin(services[candidates], top)]
        else:
            candidates = np.arange(len(indices))
        wanted = self.taxonomy.with_descendants(NEEDS, query.need) if query.need else None
        best: dict[str, Result] = {}
        for position in candidates:
            index = int(indices[position])
            row = memory.rows[index]
            result = self._fit(row, query, place, now, wanted, memory.hours(index))
            if result is None:
                continue
            current = best.get(row.service_id)
            if current is None or result.score > current.score:
                best[row.service_id] = result
        ranked = sorted(
            best.values(),
            key=lambda r: (-r.score, r.distance_miles if r.distance_miles is not None else 1e9, r.name),
        )
        return ranked[: query.limit], total

    @staticmethod
    def _open_points(memory: MemoryIndex, index: int, now: datetime) -> float:
        weekly = memory.hours(index)
        return weekly.open_points(now) if weekly is not None else 0.0

    def _fit(
        self,
        row,
        query: SearchQuery,
        place: Place | None,
        now: datetime,
        wanted: set[str] | None,
        weekly: WeeklyHours | None,
    ):
        reasons: list[str] = []
        caveats: list[str] = []
        needs = _codes(row.needs)
        specificity = 1.0
        if wanted is not None:
            matched = [code for code in needs if code in wanted]
            if not matched:
                return None
            exact = query.need in matched
            specificity = (1.0 if exact else 0.72) * (0.9 ** (len(needs) - 1))
            term = self.taxonomy.term(NEEDS, query.need if exact else matched[0])
            reasons.append(f"offers {term.name.lower()}")
        if query.payment is not None:
            if not self._pays(row.payments, query.payment):
                return None
            reasons.append(self._payment_reason(row.payments, query.payment))
        if query.free_or_sliding:
            if not (_has(row.payments, "free") or _has(row.payments, "sliding_fee")):
                return None
            if query.payment is None:
                reasons.append("free" if _has(row.payments, "free") else "sliding fee scale")
        if query.population is not None:
            if not _has(row.populations, query.population):
                return None
            reasons.append(f"serves {self.taxonomy.term(POPULATION, query.population).name.lower()}")
        language = query.language or "en"
        if not row.languages:
            language_points = 5.0  # languages not listed: probably English, not certain
        elif _has(row.languages, language):
            language_points = 10.0
        else:
            language_points = 0.0
        if query.language and query.language != "en":
            if not _has(row.languages, query.language):
                return None
            reasons.append(f"staff speak {LANGUAGE_NAMES.get(query.language, query.language)}")
        if query.walk_in:
            if not _has(row.access, "walk_in"):
                return None
            reasons.append("walk-ins welcome")
        if query.telehealth:
            if not _has(row.access, "telehealth"):
                return None
            reasons.append("offers telehealth")
        if query.age is not None and (row.minimum_age is not None or row.maximum_age is not None):
            reasons.append(self._age_reason(row.minimum_age, row.maximum_age))

        distance = None
        if place is not None and not row.is_virtual and row.latitude is not None:
            distance = distance_miles(place.latitude, place.longitude, row.latitude, row.longitude)
            if distance > query.radius_miles:
                return None
            distance_points = 40.0 * (1 - distance / query.radius_miles)
            reasons.append(f"{distance:.1f} miles away")
            if row.located_by == "postal_code":
                caveats.append("distance measured to the center of its ZIP code")
        elif row.is_virtual:
            distance_points = 15.0
            reasons.append("by phone or online")
        else:
            distance_points = 20.0

        open_now = None
        hours_today = None
        open_points = 0.0
        if weekly is not None:
            open_now = weekly.is_open(now)
            hours_today = weekly.today(now)
            status = weekly.status(now)
            if query.open_now and not open_now:
                return None
            if query.open_on is not None and not weekly.open_on(DAYS.index(query.open_on.upper()[:2])):
                return None
            if open_now:
                open_points = 15.0
            elif status.endswith("today"):
                open_points = 5.0
            if query.open_on is not None:
                reasons.append(f"open on {DAY_NAMES[DAYS.index(query.open_on.upper()[:2])]}s")
            reasons.append(status)
        else:
            if query.open_now or query.open_on is not None:
                return None
            caveats.append("hours not listed: call ahead")

        verified_points, caveat = self._verification(
            row.verified_on, now.date(), has_hours=weekly is not None
        )
        if caveat:
            caveats.append(caveat)
        score = distance_points + 25.0 * specificity + open_points + language_points + verified_points
        return Result(
            service_id=row.service_id,
            name=row.name,
            organization=row.organization,
            distance_miles=round(distance, 1) if distance is not None else None,
            phone=row.phone,
            address=row.address,
            url=row.url,
            open_now=open_now,
            hours_today=hours_today,
            score=round(score, 2),
            reasons=reasons,
            caveats=caveats,
            location_id=row.location_id,
        )

    @staticmethod
    def _pays(payments: str, payment: str) -> bool:
        if _has(payments, payment):
            return True
        # Someone who cannot pay is served by free and sliding-fee services too.
        return payment == "sliding_fee" and _has(payments, "free")

    def _payment_reason(self, payments: str, payment: str) -> str:
        if payment == "free" or (payment == "sliding_fee" and not _has(payments, "sliding_fee")):
            return "free"
        if payment == "sliding_fee":
            return "sliding fee scale"
        return f"accepts {self.taxonomy.term(PAYMENT, payment).name}"

    @staticmethod
    def _age_reason(minimum: float | None, maximum: float | None) -> str:
        if minimum is not None and maximum is not None:
            return f"serves ages {minimum:g}-{maximum:g}"
        if minimum is not None:
            return f"serves ages {minimum:g} and up"
        return f"serves ages up to {maximum:g}"

    @staticmethod
    def _verification(verified_on: str | None, today: date, has_hours: bool) -> tuple[float, str | None]:
        what = "hours" if has_hours else "details"
        if not verified_on:
            return 0.0, f"{what} not verified"
        try:
            verified = date.fromisoformat(verified_on[:10])
        except ValueError:
            return 0.0, f"{what} not verified"
        age_days = (today - verified).days
        caveat = f"{what} not verified since {verified.year}" if age_days > 365 else None
        if age_days <= 182:
            return 10.0, caveat
        return max(0.0, 10.0 * (1 - (age_days - 182) / (3 * 365 - 182))), caveat

    def relaxations(
        self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime
    ) -> list[Relaxation]:
        """Which single constraint, relaxed, would find something."""
        options: list[tuple[str, str, dict]] = []
        if place is not None and place.in_region:
            wider = min(500.0, max(query.radius_miles * 3, 25.0))
            options.append(("radius", f"search within {wider:g} miles", {"radius_miles": wider}))
        labels = {
            "open_now": ("open now", "include places that are closed right now", {"open_now": False}),
            "open_on": ("day", "any day of the week", {"open_on": None}),
            "payment": ("payment", "any payment type", {"payment": None}),
            "free_or_sliding": ("cost", "include services that charge", {"free_or_sliding": False}),
            "language": ("language", "services in any language (with interpreters)", {"language": None}),
            "population": ("population", "services for everyone, not only one group", {"population": None}),
            "walk_in": ("walk-in", "services by appointment too", {"walk_in": False}),
            "telehealth": ("telehealth", "in-person services too", {"telehealth": False}),
            "age": ("age", "services without an age limit check", {"age": None}),
        }
        for attribute, option in labels.items():
            value = getattr(query, attribute)
            # "is not False", not "not in (None, False)": an age of 0 is a real constraint.
            if value is not None and value is not False and not (attribute == "language" and value == "en"):
                options.append(option)
        if query.need:
            parent = self.taxonomy.term(NEEDS, query.need).parent
            if parent:
                options.append(
                    ("need", f"any {self.taxonomy.term(NEEDS, parent).name.lower()}", {"need": parent})
                )
        found = []
        for constraint, suggestion, change in options:
            relaxed = SearchQuery(**{**asdict(query), **change})
            matches = len(set(memory.service[self._eligible(memory, relaxed, place, now)[0]]))
            if matches:
                found.append(Relaxation(constraint, suggestion, matches))
        return found


__all__ = ["PlaceError", "Result", "SearchQuery", "SearchResponse", "Searcher"]
