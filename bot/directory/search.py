"""Which services fit this caller best.

Eligibility is a hard filter: a service that does not offer the need (a higher
level of care, such as partial hospitalization, only when it is asked for), is
out of range or outside its own service area, does not take the caller's
payment (free fits every payment), does not serve their age, language or asked-for
population, was excluded by the caller, or is not open when asked, is never
shown. A service limited to a group the caller did not say they belong to
(veterans, new parents), or with no English-speaking staff for a caller writing
English, is shown only when no service without such a limit fits. Among the eligible, ``score`` ranks them with the weights of one
``ScoringPolicy`` (the defaults below), used alike by the array path over every
row and by the words of the few results:

=====================  ======  ==============================================
part                   points  how
=====================  ======  ==============================================
distance               40      40 x (1 - miles / radius); by phone or online: 15;
                               no place to measure from: 20
category specificity   25      tagged with the exact need: 25; with a narrower
                               need inside it: 18; less for generalists (each
                               further need tagged costs 10%)
open now               15      open now: 15; opens later today: 5
language               10      lists the caller's language (English when none
                               asked): 10; lists no languages: 5
caller's own language  30      a caller who writes in Spanish, and asked no language:
                               staff speak it (a preference, not a filter)
verification           10      verified within 6 months: 10, falling to 0 at 3 years
preferred population   10      serves the group the caller would prefer (not a filter)
unknown limit          -100    each limit the caller's facts cannot settle (an age
                               limit when the age is unknown; only for a group the
                               caller did not say they belong to; no English listed
                               when no language was asked; a service area when the
                               caller gave no place, unless it holds the whole region
                               or the region's state, as a national or statewide line
                               does): ranks after every open service, with a caveat
                               saying what to check ("for Philadelphia County
                               residents: check")
=====================  ======  ==============================================

Ties go to the nearer service, then the name. Each result carries ``reasons``
(why it fits, in the caller's terms) and ``caveats`` (what to check).
When only the hours asked for (open now, today, days, times) leave nothing,
``closed_matches`` holds what fits at other times, soonest opening first.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone

import numpy as np
from sqlalchemy.engine import Connection

from bot.copy import DEFAULT_LANGUAGE, catalog, listing, say
from bot.directory.hours import DAYS, WeeklyHours, format_time
from bot.directory.memory import EPOCH, MemoryIndex
from bot.directory.places import Gazetteer, Place, PlaceError
from bot.directory.store import index_version
from bot.directory.taxonomy import NEEDS, PAYMENT, POPULATION, Taxonomy

# How often a process asks whether another one has rebuilt the index (seconds).
VERSION_CHECK_SECONDS = 1.0


def language_name(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """ "Spanish" ("español" in Spanish); an unknown code stays as it is."""
    key = f"language.name.{code}"
    return say(key, language) if key in catalog() else code


TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$|^(24):(00)$")
# The query fields that are about when the caller can go: when only they leave nothing, the
# response says when the services that fit otherwise open (closed_matches).
HOURS_FIELDS = {"open_now": False, "open_on": None, "days": (), "open_after": None, "open_before": None,
                "open_today": False, "days_any_time": ()}  # fmt: skip


@dataclass(frozen=True)
class ScoringPolicy:
    """Every weight of the ranking, written once (see the table in the module docstring).

    Its methods take numpy arrays (the array path, many rows at once) or plain numbers (one row).
    """

    distance: float = 40.0  # at the caller's door, falling to 0 at the edge of the radius
    remote: float = 15.0  # by phone or online
    unplaced: float = 20.0  # the caller gave no place: nothing to measure from
    specificity: float = 25.0
    narrower_need: float = 0.72  # tagged only with a narrower need than the one asked
    generalist: float = 0.9  # each further need tagged multiplies specificity by this
    open_now: float = 15.0
    opens_later_today: float = 5.0
    language: float = 10.0
    language_unlisted: float = 5.0  # lists no languages: probably English, not certain
    verified: float = 10.0
    verified_fresh_days: int = 182  # full points up to here
    verified_stale_days: int = 3 * 365  # no points from here
    preferred_population: float = 10.0
    preferred_language: float = 30.0  # the language the caller writes in, when none was asked
    unknown_limit: float = -100.0  # per limit the caller's facts cannot settle

    def distance_points(self, miles, radius: float, virtual, placed: bool):
        if not placed:
            return np.where(virtual, self.remote, self.unplaced)
        return np.where(virtual, self.remote, self.distance * (1 - np.nan_to_num(miles) / radius))

    def specificity_points(self, exact, need_count):
        return (
            self.specificity * np.where(exact, 1.0, self.narrower_need) * self.generalist ** (need_count - 1)
        )

    def language_points(self, listed, spoken):
        return np.where(~np.asarray(listed), self.language_unlisted, np.where(spoken, self.language, 0.0))

    def verification_points(self, age_days, verified):
        """``age_days`` since verification; ``verified`` False where never verified."""
        span = self.verified_stale_days - self.verified_fresh_days
        decay = np.maximum(0.0, self.verified * (1 - (age_days - self.verified_fresh_days) / span))
        return np.where(
            ~np.asarray(verified), 0.0, np.where(age_days <= self.verified_fresh_days, self.verified, decay)
        )

    def open_points(self, weekly: WeeklyHours | None, now: datetime) -> float:
        if weekly is None:
            return 0.0
        state = weekly.open_state(now)
        return self.open_now if state == "open" else self.opens_later_today if state == "later" else 0.0

    @property
    def max_open_points(self) -> float:
        """Opening hours add at most this: a row further behind cannot reach the top."""
        return max(self.open_now, self.opens_later_today, 0.0)


DEFAULT_POLICY = ScoringPolicy()


# "At least three where that many fit": with fewer within the radius, a caller's search looks further.
ENOUGH_RESULTS = 3


@dataclass
class SearchQuery:
    need: str | None = None
    zip_code: str | None = None
    place: str | None = None
    radius_miles: float = 10.0
    payment: str | None = None
    age: int | None = None
    language: str | None = None
    population: str | None = None  # a hard filter: the caller asked for services for this group
    free_or_sliding: bool = False
    open_now: bool = False
    open_on: str | None = None  # "MO" .. "SU"
    walk_in: bool = False
    telehealth: bool = False
    home_visits: bool = False  # staff come to the home
    include_virtual: bool = True
    # Fewer than ENOUGH_RESULTS within the radius: look further (a caller's search, whose radius
    # is ours to choose; a staff search keeps the radius it set).
    look_further: bool = False
    limit: int = 5
    prefer_population: str | None = None  # ranks (and says so) without filtering
    prefer_language: str | None = None  # the language the caller writes in: ranks, never filters
    reply_language: str = DEFAULT_LANGUAGE  # the language of the results' words (reasons, hours)
    exclude: tuple[str, ...] = ()  # service or organization ids never to return
    days: tuple[str, ...] = ()  # open on one of these ("SA", "SU"); empty = any day
    open_after: str | None = None  # "18:00": the caller can come after this, on one of ``days``
    open_before: str | None = None  # "09:00": the caller can come before this
    open_today: bool = False  # open at some point in the rest of today
    days_any_time: tuple[str, ...] = ()  # "after 6 or Saturdays": these days at any hour will do too

    def constraints(self) -> dict:
        """What was asked, without the defaults: for unmet-need records and messages."""
        defaults = SearchQuery()
        return {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in asdict(self).items()
            if v != getattr(defaults, k) and k not in ("zip_code", "place", "limit", "look_further")
        }

    @property
    def spoken_language(self) -> str:
        """The language the caller needs staff to speak: asked for, else the one they write in."""
        return self.language or self.prefer_language or "en"

    def asks_for_hours(self) -> bool:
        return any(getattr(self, name) != default for name, default in HOURS_FIELDS.items())


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
    next_open: str | None = None  # when closed now: "opens tomorrow at 8:30 am"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Relaxation:
    """A constraint that, dropped or widened, would find ``matches`` services.

    ``change`` is what to apply: ``dataclasses.replace(query, **relaxation.change)``.
    """

    constraint: str
    suggestion: str
    matches: int
    change: dict[str, object] = field(default_factory=dict)

    def apply(self, query: SearchQuery) -> SearchQuery:
        return dataclasses.replace(query, **self.change)


@dataclass
class SearchResponse:
    query: SearchQuery
    results: list[Result]
    total: int  # services that fit every constraint, hours included
    place: Place | None = None
    notices: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)
    # Nothing open when asked: what fits everything else, soonest opening first (each with next_open).
    closed_matches: list[Result] = field(default_factory=list)

    @property
    def fits_at_other_times(self) -> bool:
        """Nothing fits the hours asked, but something fits at another time."""
        return not self.results and bool(self.closed_matches)

    @property
    def nothing_fits(self) -> bool:
        """Nothing fits regardless of the hour: what an unmet need is."""
        return not self.results and not self.closed_matches

    def as_dict(self) -> dict:
        """Plain JSON data (tuples as lists)."""
        return _plain(
            {
                "query": asdict(self.query),
                "place": asdict(self.place) if self.place else None,
                "total": self.total,
                "results": [result.as_dict() for result in self.results],
                "notices": self.notices,
                "relaxations": [asdict(r) for r in self.relaxations],
                "closed_matches": [result.as_dict() for result in self.closed_matches],
            }
        )


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _has(packed: str, code: str) -> bool:
    return f"|{code}|" in packed


def _codes(packed: str) -> list[str]:
    return [code for code in packed.split("|") if code]


def _minutes(text: str | None) -> int | None:
    if text is None:
        return None
    parts = [part for part in TIME_PATTERN.match(text.strip()).groups() if part is not None]
    return int(parts[0]) * 60 + int(parts[1])


def _weekday(code: str) -> int:
    return DAYS.index(code.upper()[:2])


def _ages(minimum: float | None, maximum: float | None, language: str) -> str:
    if minimum is not None and maximum is not None:
        return say("ages.between", language, low=f"{minimum:g}", high=f"{maximum:g}")
    if minimum is not None:
        return say("ages.from", language, low=f"{minimum:g}")
    return say("ages.to", language, high=f"{maximum:g}")


def _window_words(span: tuple[int, int], after: int | None, when: str, language: str) -> str:
    opens, closes = span
    if after is not None:
        if closes >= 24 * 60:
            key = "reason.open_past_midnight" if closes > 24 * 60 else "reason.open_until_midnight"
            return say(key, language, when=when)
        return say("reason.open_until", language, time=format_time(closes, language), when=when)
    return say("reason.opens_at", language, time=format_time(opens, language), when=when)


def _verification_caveat(verified_on: str | None, today: date, has_hours: bool, language: str) -> str | None:
    what = "hours" if has_hours else "details"
    try:
        verified = date.fromisoformat((verified_on or "")[:10])
    except ValueError:
        return say(f"caveat.{what}_unverified", language)
    if (today - verified).days <= 365:
        return None
    return say(f"caveat.{what}_unverified_since", language, year=verified.year)


def _plural_days(weekdays, language: str) -> str:
    return listing([say(f"days.{DAYS[d]}", language) for d in weekdays], language)


class Searcher:
    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer, policy: ScoringPolicy = DEFAULT_POLICY):
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self.policy = policy
        self._memory: MemoryIndex | None = None
        self._checked_at = 0.0
        self._intensive = taxonomy.intensive_needs()

    def memory(self, conn: Connection) -> MemoryIndex:
        """The index in memory, reloaded when any process has rebuilt it since."""
        moment = time.monotonic()
        if self._memory is None or moment - self._checked_at > VERSION_CHECK_SECONDS:
            if self._memory is None or self._memory.version != index_version(conn):
                self._memory = MemoryIndex.load(conn, self.taxonomy)
            self._checked_at = moment
        return self._memory

    def forget(self) -> None:
        """This process just rebuilt the index: load it again on the next search."""
        self._memory = None

    def validate(self, query: SearchQuery) -> None:
        checks = (
            (query.need, NEEDS),
            (query.payment, PAYMENT),
            (query.population, POPULATION),
            (query.prefer_population, POPULATION),
        )
        for code, taxonomy in checks:
            if code is not None:
                self.taxonomy.term(taxonomy, code)
        for day in ([query.open_on] if query.open_on is not None else []) + list(query.days):
            if not isinstance(day, str) or day.upper()[:2] not in DAYS:
                raise ValueError(f"unknown day {day!r}: use MO, TU, WE, TH, FR, SA or SU")
        for moment in (query.open_after, query.open_before):
            if moment is not None and not TIME_PATTERN.match(str(moment).strip()):
                raise ValueError(f"unknown time {moment!r}: use HH:MM, e.g. 18:00")
        if isinstance(query.exclude, str):
            raise ValueError("exclude is a tuple of ids, not one string")
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
        language = query.reply_language
        if place is not None and not place.in_region:
            notices.append(
                say("notice.outside_region", language, place=place.label, region=self.gazetteer.region_name)
            )
        memory = self.memory(conn)
        results, total = self._rank(memory, query, place, now)
        wider = self._wider(query, place) if query.look_further and total < ENOUGH_RESULTS else None
        if wider is not None:
            # Fewer than three within the radius: an I&R specialist names the nearest that fit
            # further away too, with their distance, rather than offer one option or record an
            # unmet need that a bus ride meets.
            further, more = self._rank(memory, wider, place, now)
            if more > total:
                if not total:
                    notices.append(say("notice.further_away", language, miles=f"{query.radius_miles:g}"))
                results, total, query = further, more, wider
        response = SearchResponse(query, results, total, place, notices)
        if not total:
            if query.asks_for_hours():
                response.closed_matches = self._closed_matches(memory, query, place, now)
            response.relaxations = self.relaxations(memory, query, place, now)
        return response

    # --- the hard filters ----------------------------------------------------------------------

    def _wanted_needs(self, query: SearchQuery) -> tuple[set[str], str]:
        """The needs that answer the query, and the facet to look them up in.

        A higher level of care (``intensive`` in taxonomy.yml) answers only a query for it: a
        search for counseling or mental health looks at each service's most specific needs
        without the intensive ones, so a partial hospitalization programme tagged also with the
        broad "mental health" is not offered for it.
        """
        wanted = self.taxonomy.with_descendants(NEEDS, query.need)
        if query.need in self._intensive:
            return wanted, "needs"
        return wanted - self._intensive, "specific_needs"

    def _eligible(
        self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime, hours: bool = True
    ):
        """Rows passing every hard filter, and their distances (NaN where none applies).

        Array operations first; opening hours last, row by row (left out when ``hours`` is False).
        """
        keep = memory.active.copy()
        if query.age is not None:
            keep &= np.isnan(memory.minimum_age) | (memory.minimum_age <= query.age)
            keep &= np.isnan(memory.maximum_age) | (memory.maximum_age >= query.age)
        if query.need:
            wanted, facet = self._wanted_needs(query)
            answers = memory.has(facet, wanted)
            term = self.taxonomy.term(NEEDS, query.need)
            if term.for_population:
                family, family_facet = self._wanted_needs(dataclasses.replace(query, need=term.parent))
                answers |= memory.has(family_facet, family) & memory.has("populations", [term.for_population])
            keep &= answers
        if query.payment is not None:
            # Free fits every payment; someone without insurance is served on a sliding fee too.
            keep &= memory.has("payments", [query.payment, "free"])
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
        if query.home_visits:
            # For someone who cannot or will not travel: staff who come to the home, or care by
            # phone or video from it.
            keep &= memory.has("access", ["home_visits", "telehealth"]) | memory.virtual
        if query.exclude:
            excluded = set(query.exclude)
            keep &= np.array(
                [
                    row.service_id not in excluded and organization not in excluded
                    for row, organization in zip(memory.rows, memory.organization_id, strict=True)
                ],
                dtype=bool,
            )
        distance = np.full(len(memory.rows), np.nan)
        if place is not None:
            keep &= memory.within(place)
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
        if hours and query.asks_for_hours():
            indices = np.array(
                [i for i in indices if self._hours_fit(memory.hours(int(i)), query, now)], dtype=np.int64
            )
        indices = self._for_the_caller_first(memory, indices, query)
        return indices, distance[indices]

    def _for_the_caller_first(
        self, memory: MemoryIndex, indices: np.ndarray, query: SearchQuery
    ) -> np.ndarray:
        """Without the services limited to a group the caller never said they belong to (veterans,
        new parents), or whose staff do not speak English to a caller writing it, while any service without
        such a limit fits: an I&R specialist does not fill a list with a veterans' programme for a
        caller who never said they served. When nothing else fits they stay, ranked last with what
        to check (``_unknown_limits``). Age groups are settled by the age, and are not counted here.
        """
        if not len(indices):
            return indices
        unsettled, settled = self._restricting(query)
        groups = [code for code in unsettled if self.taxonomy.term(POPULATION, code).ages is None]
        limited = np.zeros(len(indices), dtype=bool)
        if groups:
            limited |= (
                memory.has("populations", groups)[indices] & ~memory.has("populations", settled)[indices]
            )
        if not query.language and not query.prefer_language:
            # Only for a caller writing English: one writing Spanish may read English too, and the
            # services that speak their language rank first without hiding the rest.
            listed = memory.masks["languages"][indices] != 0
            limited |= listed & ~memory.has("languages", ["en"])[indices]
        return indices[~limited] if not limited.all() else indices

    @staticmethod
    def _any_time_weekdays(query: SearchQuery) -> list[int]:
        """ "After 6 or Saturdays": the days that will do at any hour, as weekday numbers."""
        return [_weekday(day) for day in query.days_any_time]

    @staticmethod
    def _weekdays(query: SearchQuery) -> list[int]:
        days = list(query.days) + ([query.open_on] if query.open_on is not None else [])
        return sorted({_weekday(day) for day in days})

    def _hours_fit(self, weekly: WeeklyHours | None, query: SearchQuery, now: datetime) -> bool:
        """Open when the caller can go: now, today, on one of the days, after/before the times."""
        if weekly is None:
            return False
        if query.open_now and not weekly.is_open(now):
            return False
        weekdays = self._weekdays(query)
        after, before = _minutes(query.open_after), _minutes(query.open_before)
        if query.open_today:
            today = weekly.local(now).weekday()
            return (not weekdays or today in weekdays) and weekly.window_today(now, after, before) is not None
        any_time = self._any_time_weekdays(query)
        if any(weekly.window(day, None, None) is not None for day in any_time):
            return True
        if weekdays or after is not None or before is not None:
            return any(weekly.window(day, after, before) is not None for day in weekdays or range(7))
        return not any_time

    # --- scores --------------------------------------------------------------------------------

    def _restricting(self, query: SearchQuery) -> tuple[list[str], list[str]]:
        """Populations a service can be limited to, split into (unsettled, settled) for this caller.

        Settled: the caller asked for or prefers the group, or their known age is in its ages.
        """
        unsettled, settled = [], []
        for code in self.taxonomy.codes(POPULATION):
            term = self.taxonomy.term(POPULATION, code)
            if not term.restricts:
                continue
            stated = code in (query.population, query.prefer_population)
            by_age = (
                query.age is not None
                and term.ages is not None
                and (term.ages[0] is None or query.age >= term.ages[0])
                and (term.ages[1] is None or query.age <= term.ages[1])
            )
            (settled if stated or by_age else unsettled).append(code)
        return unsettled, settled

    def _area_caveat(self, area, place: Place | None, language: str = DEFAULT_LANGUAGE) -> str | None:
        """What to check about a service area the caller's facts cannot settle, or None.

        A known place has already been judged (``_eligible`` keeps only the areas holding it). With
        no place, only an area holding the whole region, or the region's whole state, is settled.
        """
        if not self._area_unsettled(area, place):
            return None
        return say("caveat.check", language, who=area.describe(self.gazetteer.state, language))

    def _area_unsettled(self, area, place: Place | None) -> bool:
        return (
            place is None
            and area is not None
            and not area.holds_region(self.gazetteer.counties, self.gazetteer.state)
        )

    def _unknown_limits(
        self, memory: MemoryIndex, indices: np.ndarray, query: SearchQuery, place: Place | None
    ) -> np.ndarray:
        """How many limits of each row the caller's facts cannot settle (see the docstring's table)."""
        count = np.zeros(len(indices))
        if place is None:
            unsettled_area = np.array(
                [self._area_unsettled(area, place) for area in memory.areas], dtype=bool
            )
            count += unsettled_area[memory.area_group[indices]]
        if query.age is None:
            count += ~(np.isnan(memory.minimum_age[indices]) & np.isnan(memory.maximum_age[indices]))
        unsettled, settled = self._restricting(query)
        if unsettled:
            count += (
                memory.has("populations", unsettled)[indices] & ~memory.has("populations", settled)[indices]
            )
        if not query.language:
            listed = memory.masks["languages"][indices] != 0
            count += listed & ~memory.has("languages", [query.spoken_language])[indices]
        return count

    def _base_scores(self, memory, indices, distance, query: SearchQuery, place: Place | None, now: datetime):
        """Every part of the score but opening hours, for many rows at once (see the table above)."""
        policy = self.policy
        virtual = memory.virtual[indices]
        points = policy.distance_points(distance, query.radius_miles, virtual, place is not None)
        if query.need:
            exact = memory.has("needs", [query.need])[indices]
            points = points + policy.specificity_points(exact, memory.need_count[indices])
        else:
            points = points + policy.specificity
        listed = memory.masks["languages"][indices] != 0
        spoken = memory.has("languages", [query.spoken_language])[indices]
        points = points + policy.language_points(listed, spoken)
        verified_day = memory.verified_day[indices]
        age_days = (now.date() - EPOCH).days - verified_day
        points = points + policy.verification_points(age_days, verified_day >= 0)
        if query.prefer_language and not query.language:
            points = points + policy.preferred_language * spoken
        if query.prefer_population:
            points = (
                points
                + policy.preferred_population * memory.has("populations", [query.prefer_population])[indices]
            )
        return points + policy.unknown_limit * self._unknown_limits(memory, indices, query, place)

    def _best_rows(self, memory: MemoryIndex, indices, scores, distance) -> list[tuple[float, int, float]]:
        """(score, row, distance) of each service's best row, best service first."""
        best: dict[int, tuple[float, int, float]] = {}
        for position in range(len(indices)):
            service = int(memory.service[indices[position]])
            score = float(scores[position])
            if service not in best or score > best[service][0]:
                best[service] = (score, int(indices[position]), float(distance[position]))
        return sorted(
            best.values(),
            key=lambda item: (
                -round(item[0], 2),
                1e9 if np.isnan(item[2]) else item[2],
                memory.rows[item[1]].name,
            ),
        )

    def _rank(self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime):
        """The best ``query.limit`` services and how many fit in all.

        Only rows whose service could still reach the top once opening hours are counted get
        their hours read; only the results get words (``_fit``).
        """
        indices, distance = self._eligible(memory, query, place, now)
        if not len(indices):
            return [], 0
        base = self._base_scores(memory, indices, distance, query, place, now)
        services = memory.service[indices]
        total = len(np.unique(services))
        candidates = np.arange(len(indices))
        if total > query.limit:
            # Services whose best row, even open now, cannot reach the k-th best are out.
            best_per_service = np.full(services.max() + 1, -np.inf)
            np.maximum.at(best_per_service, services, base)
            best_per_service = best_per_service[np.isfinite(best_per_service)]
            kth = np.partition(best_per_service, len(best_per_service) - query.limit)[
                len(best_per_service) - query.limit
            ]
            candidates = np.flatnonzero(base + self.policy.max_open_points + 0.01 >= kth)
        scores = base[candidates] + np.array(
            [self.policy.open_points(memory.hours(int(indices[p])), now) for p in candidates], dtype=float
        )
        ranked = self._best_rows(memory, indices[candidates], scores, distance[candidates])
        results = [self._fit(memory, row, query, place, now, score, miles) for score, row, miles in ranked]
        return results[: query.limit], total

    def _closed_matches(self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime):
        """Services that fit everything but the hours asked, soonest opening first."""
        indices, distance = self._eligible(memory, query, place, now, hours=False)
        if not len(indices):
            return []
        scores = self._base_scores(memory, indices, distance, query, place, now)
        ranked = self._best_rows(memory, indices, scores, distance)

        def soonest(item):
            weekly = memory.hours(item[1])
            opening = weekly.next_opening(now) if weekly is not None else None
            if weekly is not None and opening is None and weekly.is_open(now):
                return 0
            return opening[0] if opening else 1e9

        ranked.sort(key=soonest)  # stable: among equals, the better score first
        return [self._fit(memory, row, query, place, now, score, miles) for score, row, miles in ranked][
            : query.limit
        ]

    # --- the words -----------------------------------------------------------------------------

    def _fit(
        self,
        memory: MemoryIndex,
        index: int,
        query: SearchQuery,
        place: Place | None,
        now: datetime,
        score: float,
        miles: float,
    ) -> Result:
        """A result's words: why it fits (reasons) and what to check (caveats)."""
        row = memory.rows[index]
        weekly = memory.hours(index)
        reasons: list[str] = []
        caveats: list[str] = []
        language = query.reply_language
        if query.need:
            wanted, _facet = self._wanted_needs(query)
            matched = [code for code in _codes(row.needs) if code in wanted]
            code = query.need if query.need in matched else (matched[0] if matched else query.need)
            reasons.append(say("reason.offers", language, need=self._label(NEEDS, code, language)))
        if query.payment is not None or query.free_or_sliding:
            reasons.append(self._payment_reason(row.payments, query.payment, language))
        if query.population is not None:
            who = self._label(POPULATION, query.population, language)
            reasons.append(say("reason.serves", language, who=who))
        if query.prefer_population and _has(row.populations, query.prefer_population):
            who = self._label(POPULATION, query.prefer_population, language)
            reasons.append(say("reason.serves", language, who=who))
        if query.spoken_language != "en" and (query.language or _has(row.languages, query.spoken_language)):
            reasons.append(
                say("reason.staff_speak", language, language=language_name(query.spoken_language, language))
            )
        if query.walk_in:
            reasons.append(say("reason.walk_in", language))
        if query.telehealth:
            reasons.append(say("reason.telehealth", language))
        if query.home_visits and _has(row.access, "home_visits"):
            reasons.append(say("reason.home_visits", language))
        has_age_limit = row.minimum_age is not None or row.maximum_age is not None
        if query.age is not None and has_age_limit:
            reasons.append(
                say("reason.serves_ages", language, ages=_ages(row.minimum_age, row.maximum_age, language))
            )
        area = memory.areas[int(memory.area_group[index])]
        caveats += self._unknown_limit_caveats(row, query, has_age_limit, area, place)

        distance = None if np.isnan(miles) else miles
        if distance is not None:
            reasons.append(say("reason.miles", language, miles=f"{distance:.1f}"))
            if row.located_by == "postal_code":
                caveats.append(say("caveat.zip_center", language))
        elif row.is_virtual:
            reasons.append(say("card.remote", language))

        open_now = hours_today = next_open = None
        if weekly is not None:
            open_now = weekly.is_open(now)
            hours_today = weekly.today(now, language)
            reasons += self._hours_reasons(weekly, query, now)
            reasons.append(weekly.status(now, language))
            opening = weekly.next_opening(now, language)
            next_open = opening[1] if opening else None
        else:
            caveats.append(say("caveat.no_hours", language))

        caveat = _verification_caveat(row.verified_on, now.date(), weekly is not None, language)
        if caveat:
            caveats.append(caveat)
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
            next_open=next_open,
        )

    def _unknown_limit_caveats(
        self, row, query: SearchQuery, has_age_limit: bool, area=None, place: Place | None = None
    ) -> list[str]:
        """One caveat for each limit ``_unknown_limits`` counts, in the caller's words."""
        caveats = []
        language = query.reply_language
        area_caveat = self._area_caveat(area, place, language)
        if area_caveat is not None:
            caveats.append(area_caveat)
        if query.age is None and has_age_limit:
            caveats.append(
                say("caveat.check", language, who=_ages(row.minimum_age, row.maximum_age, language))
            )
        unsettled, settled = self._restricting(query)
        if not any(_has(row.populations, code) for code in settled):
            for code in unsettled:
                if _has(row.populations, code):
                    caveats.append(say("caveat.check", language, who=self._label(POPULATION, code, language)))
        languages = _codes(row.languages)
        needed = query.spoken_language
        if not query.language and languages and needed not in languages:
            spoken = ", ".join(language_name(code, language) for code in languages)
            caveats.append(
                say("caveat.languages", language, spoken=spoken, needed=language_name(needed, language))
            )
        return caveats

    def _hours_reasons(self, weekly: WeeklyHours, query: SearchQuery, now: datetime) -> list[str]:
        """ "open Saturdays", "open until 8 pm on Tuesdays", "opens at 7 am today"."""
        weekdays = self._weekdays(query)
        after, before = _minutes(query.open_after), _minutes(query.open_before)
        language = query.reply_language
        if query.open_today:
            span = weekly.window_today(now, after, before)
            if span is None or (after is None and before is None):
                return []
            return [_window_words(span, after, say("reason.when_today", language), language)]
        if after is None and before is None:
            open_days = [day for day in weekdays if weekly.open_on(day)]
            if not open_days:
                return []
            return [say("reason.open_on_days", language, days=_plural_days(open_days, language))]
        today = weekly.local(now).weekday()
        for day in sorted(weekdays or range(7), key=lambda d: (d - today) % 7):
            # Today counts only while it still can: later days are named for any week.
            if day == today:
                span = weekly.window_today(now, after, before)
            else:
                span = weekly.window(day, after, before)
            if span is not None:
                when = say("reason.when_on_days", language, days=_plural_days([day], language))
                return [_window_words(span, after, when, language)]
        open_days = [day for day in self._any_time_weekdays(query) if weekly.open_on(day)]
        if open_days:
            return [say("reason.open_on_days", language, days=_plural_days(open_days, language))]
        return []

    def _label(self, facet: str, code: str, language: str) -> str:
        """A term's name inside a sentence: "offers counseling", "ofrece consejería"."""
        term = self.taxonomy.term(facet, code)
        if facet == PAYMENT:  # a name: "accepts Medicaid"
            return term.name_es if language == "es" and term.name_es else term.name
        return term.label(language)

    def _payment_reason(self, payments: str, payment: str | None, language: str) -> str:
        accepts = payment is not None and payment not in ("free", "sliding_fee") and _has(payments, payment)
        if payment == "sliding_fee" and _has(payments, payment):
            return say("reason.sliding_fee", language)
        if accepts:
            return say("reason.accepts", language, payment=self._label(PAYMENT, payment, language))
        if _has(payments, "free"):
            return say("reason.free", language)
        if _has(payments, "sliding_fee"):
            return say("reason.sliding_fee", language)
        if payment:
            return say("reason.accepts", language, payment=self._label(PAYMENT, payment, language))
        return say("reason.free", language)

    # --- nothing fits --------------------------------------------------------------------------

    @staticmethod
    def _wider(query: SearchQuery, place: Place | None) -> SearchQuery | None:
        """The same query over a wider radius (three times, at least 25 miles), or None when there
        is no wider in-region radius to try."""
        if place is None or not place.in_region:
            return None
        miles = min(500.0, max(query.radius_miles * 3, 25.0))
        return dataclasses.replace(query, radius_miles=miles) if miles > query.radius_miles else None

    def relaxations(
        self, memory: MemoryIndex, query: SearchQuery, place: Place | None, now: datetime
    ) -> list[Relaxation]:
        """Which single constraint, relaxed, would find something; each carries its change."""
        options: list[tuple[str, str, dict]] = []
        language = query.reply_language
        wider = self._wider(query, place)
        if wider is not None:
            miles = wider.radius_miles
            options.append(
                ("radius", say("relax.radius", language, miles=f"{miles:g}"), {"radius_miles": miles})
            )
        any_time = {"open_after": None, "open_before": None}
        any_day = {"days": (), "open_on": None, "days_any_time": ()}
        labels = {
            "open_now": ("open now", "relax.open_now", {"open_now": False}),
            "open_today": ("today", "relax.open_today", {"open_today": False}),
            "days": ("day", "relax.day", any_day),
            "open_on": ("day", "relax.day", any_day),
            "open_after": ("time", "relax.time", any_time),
            "open_before": ("time", "relax.time", any_time),
            "payment": ("payment", "relax.payment", {"payment": None}),
            "free_or_sliding": ("cost", "relax.cost", {"free_or_sliding": False}),
            "language": ("language", "relax.language", {"language": None}),
            "population": ("population", "relax.population", {"population": None}),
            "walk_in": ("walk-in", "relax.walk_in", {"walk_in": False}),
            "telehealth": ("telehealth", "relax.telehealth", {"telehealth": False}),
            "home_visits": ("home_visits", "relax.home_visits", {"home_visits": False}),
            "age": ("age", "relax.age", {"age": None}),
        }
        seen = set()
        for attribute, (constraint, suggestion, change) in labels.items():
            value = getattr(query, attribute)
            # "is not False", not "not in (None, False)": an age of 0 is a real constraint.
            asked = value is not None and value is not False and value != ()
            if asked and not (attribute == "language" and value == "en") and constraint not in seen:
                seen.add(constraint)
                options.append((constraint, say(suggestion, language), change))
        if query.need:
            parent = self.taxonomy.term(NEEDS, query.need).parent
            if parent:
                broader = say("relax.need", language, need=self._label(NEEDS, parent, language))
                options.append(("need", broader, {"need": parent}))
        found = []
        for constraint, suggestion, change in options:
            relaxed = dataclasses.replace(query, **change)
            matches = len(set(memory.service[self._eligible(memory, relaxed, place, now)[0]].tolist()))
            if matches:
                found.append(Relaxation(constraint, suggestion, matches, dict(change)))
        return found


__all__ = [
    "DEFAULT_POLICY",
    "PlaceError",
    "Relaxation",
    "Result",
    "ScoringPolicy",
    "SearchQuery",
    "SearchResponse",
    "Searcher",
]
