"""The referral conversation's logic, without Rasa: what to ask, and what to say about results.

The actions in ``actions/`` read slots, call these functions and send what they
return; everything a caller reads about services is worded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.config import service_timezone
from bot.directory import Directory, PlaceError, SearchQuery, SearchResponse
from bot.directory.hours import WeeklyHours, blocks_from_schedules, timezone_of
from bot.directory.places import Place
from bot.directory.taxonomy import NEEDS, Taxonomy
from bot.nlp.vocabulary import Vocabulary, age_from_text

SKIP = "skip"
PAGE_SIZE = 3
DEFAULT_RADIUS = 10.0

# What each need requires us to ask; a need inherits from its parent. A food
# pantry needs no insurance question, a warmline no place.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "mental_health": ("location", "payment", "age"),
    "warmline": (),
    "crisis_lines": (),
    "crisis_walk_in": ("location",),
    "peer_support": ("location",),
    "lgbtq_affirming_care": ("location", "payment"),
    "substance_use": ("location", "payment", "age"),
    "basic_needs": ("location",),
    "shelter": ("location", "age"),
    "legal_advocacy": ("location",),
    "benefits": ("location",),
    "child_youth": ("location", "payment", "age"),
    "family_support": ("location",),
    "veterans_services": ("location",),
}
SKIP_WORDS = re.compile(
    r"^\s*(skip|pass|not sure|unsure|idk|i don'?t know|no idea|dunno|prefer not|rather not|any|anything|n/?a|none)\b",
    re.I,
)


def questions_for(taxonomy: Taxonomy, need: str | None) -> tuple[str, ...]:
    if need is None:
        return ("location", "payment", "age")
    code: str | None = need
    while code is not None:
        if code in QUESTIONS:
            return QUESTIONS[code]
        code = taxonomy.term(NEEDS, code).parent
    return ("location",)


def is_skip(text: str | None) -> bool:
    return bool(text) and (text == SKIP or bool(SKIP_WORDS.match(text)))


# --- reading answers ------------------------------------------------------


@dataclass
class Answer:
    """A validated slot value, or why it was refused (``problem`` is said to the caller)."""

    value: object = None
    problem: str | None = None


def read_need(vocabulary: Vocabulary, values: list[str]) -> tuple[str | None, list[str]]:
    """The first recognised need, and the others to offer afterwards."""
    codes: list[str] = []
    for value in values:
        code = vocabulary.code("need", value)
        if code and code not in codes:
            codes.append(code)
    if not codes:
        return None, []
    # "therapy for my depression" is one need, the most specific one named: counseling,
    # not also mental health care.
    taxonomy = vocabulary.taxonomy
    related = taxonomy.with_descendants(NEEDS, codes[0]) | set(taxonomy.ancestors(NEEDS, codes[0]))
    family = [code for code in codes if code in related]
    first = max(family, key=lambda code: len(taxonomy.ancestors(NEEDS, code)))
    return first, [code for code in codes if code not in related]


def read_location(directory: Directory, text: str | None) -> Answer:
    if is_skip(text):
        return Answer(SKIP)
    try:
        place = directory.gazetteer.resolve(text or "")
    except PlaceError as error:
        if error.kind == "unknown_zip":
            return Answer(
                problem=f"I couldn't find that ZIP code. {error} Could you check it, or tell me a neighborhood?"
            )
        return Answer(
            problem="I don't know that place yet. Could you give me a ZIP code, or a nearby neighborhood or town?"
        )
    return Answer(place.postal_code if place.kind == "zip" else place.label)


def read_payment(vocabulary: Vocabulary, text: str | None) -> Answer:
    if is_skip(text):
        return Answer(SKIP)
    code = vocabulary.code("payment", text)
    if code is None:
        return Answer(
            problem="I didn't catch how you'd pay. Is it Medicaid, Medicare, private insurance, or no insurance?"
        )
    return Answer(code)


def read_age(text: str | None) -> Answer:
    if is_skip(text):
        return Answer(SKIP)
    age = age_from_text(text)
    if age is None:
        return Answer(problem="Sorry, I need the age as a number, like 15 or 42. You can also say skip.")
    return Answer(str(age))


# --- searching ------------------------------------------------------------


def query_from_slots(slots: dict, limit: int) -> SearchQuery:
    location = slots.get("location")
    zip_code = place = None
    if location and location != SKIP:
        if re.fullmatch(r"\d{5}(-\d{4})?", location):
            zip_code = location
        else:
            place = location
    age = slots.get("age")
    payment = slots.get("payment")
    population = slots.get("population")
    language = slots.get("language")
    if population == "spanish_speaking":
        language, population = language or "es", None
    access = slots.get("access")
    return SearchQuery(
        need=slots.get("need"),
        zip_code=zip_code,
        place=place,
        radius_miles=float(slots.get("radius") or DEFAULT_RADIUS),
        payment=payment if payment and payment != SKIP else None,
        # The ruler's span may carry its cue ("is 15"); a slot nobody validated must not crash the search.
        age=age_from_text(str(age)) if age and age != SKIP else None,
        language=language,
        population=population
        if population in ("veterans", "lgbtq", "deaf_hard_of_hearing", "seniors", "youth")
        else None,
        open_now=bool(slots.get("open_now")),
        walk_in=access == "walk_in",
        telehealth=access == "telehealth",
        limit=limit,
    )


def where_label(place: Place | None) -> str:
    if place is None:
        return ""
    return f" near {place.label}"


def card(result) -> dict:
    """One service in the referrals payload that channels render."""
    return {
        "id": result.service_id,
        "name": result.name,
        "organization": result.organization,
        "distance_miles": result.distance_miles,
        "phone": result.phone,
        "address": result.address,
        "open_now": result.open_now,
        "hours_today": result.hours_today,
        "reasons": result.reasons,
        "caveats": result.caveats,
        "url": result.url,
    }


def _line(number: int, result) -> str:
    facts = []
    if result.distance_miles is not None:
        facts.append(f"{result.distance_miles:g} mi")
    else:
        facts.append("by phone or online")
    if result.open_now is True:
        facts.append("open now")
    elif result.open_now is False:
        facts.append("closed now")
    reach = ", ".join(part for part in (result.phone, result.address) if part)
    line = f"{number}. {result.name} ({', '.join(facts)})"
    if reach:
        line += f"\n   {reach}"
    why = [r for r in result.reasons if not r.endswith("miles away")]
    if why:
        line += f"\n   Why: {'; '.join(why)}."
    if result.caveats:
        line += f"\n   Note: {'; '.join(result.caveats)}."
    return line


@dataclass
class Reply:
    text: str
    payload: dict | None = None
    buttons: list[dict] = field(default_factory=list)


def need_label(taxonomy: Taxonomy, need: str | None) -> str:
    return taxonomy.term(NEEDS, need).name.lower() if need else "services"


def results_reply(
    taxonomy: Taxonomy, response: SearchResponse, start: int, intro: str | None = None
) -> Reply:
    """Results ``start``.. of a search, numbered from ``start + 1``, as text, cards and buttons."""
    shown = response.results[start : start + PAGE_SIZE]
    label = need_label(taxonomy, response.query.need)
    lines = list(response.notices)
    if intro:
        lines.append(intro)
    elif start == 0:
        count = len(shown)
        lines.append(
            f"Here {'is' if count == 1 else 'are'} {count} option{'s' if count != 1 else ''} for {label}{where_label(response.place)}, best first:"
        )
    else:
        lines.append(f"Here are more options for {label}:")
    lines += [_line(start + index + 1, result) for index, result in enumerate(shown)]
    if len(shown) < PAGE_SIZE and start == 0 and response.total < PAGE_SIZE:
        lines.append("That's everything I found that fits.")
    lines.append("Pick a number for details (hours, how to get in, what to bring), or ask for more options.")
    buttons = [
        {"title": f"Details on {start + i + 1}", "payload": f'/choose_option{{"option": "{start + i + 1}"}}'}
        for i in range(len(shown))
    ]
    if response.total > start + len(shown):
        buttons.append({"title": "More options", "payload": "/more_options"})
    buttons += [
        {"title": "Which is open now?", "payload": "/ask_open_now"},
        {"title": "Which is closest?", "payload": "/ask_closest"},
    ]
    payload = {"type": "referrals", "need": response.query.need, "services": [card(r) for r in shown]}
    return Reply("\n".join(lines), payload, buttons)


def no_results_reply(taxonomy: Taxonomy, response: SearchResponse) -> Reply:
    label = need_label(taxonomy, response.query.need)
    lines = list(response.notices)
    lines.append(
        f"I couldn't find {label}{where_label(response.place)} that fits everything you asked for. I've noted this need so our team can look for more services."
    )
    buttons = []
    if response.relaxations:
        lines.append("I could try:")
        for relaxation in response.relaxations[:3]:
            lines.append(f"- {relaxation.suggestion} ({relaxation.matches} would fit)")
            buttons.append(
                {
                    "title": relaxation.suggestion.capitalize(),
                    "payload": f'/relax_search{{"constraint": "{relaxation.constraint}"}}',
                }
            )
    lines.append("Or a human advocate can help you look.")
    buttons.append({"title": "Talk to an advocate", "payload": "/human_handoff"})
    return Reply(
        "\n".join(lines), {"type": "referrals", "need": response.query.need, "services": []}, buttons
    )


def relaxed_slots(taxonomy: Taxonomy, slots: dict, constraint: str | None) -> dict:
    """Slot changes for "search wider": the constraint a relaxation named (see Searcher.relaxations)."""
    if constraint == "need":
        parent = taxonomy.term(NEEDS, slots["need"]).parent if slots.get("need") else None
        return {"need": parent} if parent else {}
    changes = {
        "open now": {"open_now": False},
        "payment": {"payment": SKIP},
        "cost": {"payment": SKIP},
        "language": {"language": None, "population": None},
        "population": {"population": None},
        "walk-in": {"access": None},
        "telehealth": {"access": None},
        "age": {"age": SKIP},
    }
    if constraint in changes:
        return changes[constraint]
    radius = float(slots.get("radius") or DEFAULT_RADIUS)
    return {"radius": min(500.0, max(radius * 3, 25.0))}


# --- one service in detail ------------------------------------------------


def details_reply(service: dict, result: dict | None, now: datetime | None = None) -> Reply:
    """Everything a caller needs to act on one service: hours, how to get in, what to bring."""
    now = now or datetime.now(timezone.utc)
    lines = [service["name"]]
    organization = (service.get("organization") or {}).get("name")
    if organization and organization != service["name"]:
        lines[0] += f" ({organization})"
    if service.get("description"):
        lines.append(service["description"])
    if result:
        reach = [part for part in (result.get("phone"), result.get("address")) if part]
        if reach:
            lines.append("Contact: " + " | ".join(reach))
    schedules = list(service.get("schedules") or [])
    for place in service.get("service_at_locations") or []:
        schedules += place.get("schedules") or []
    blocks = blocks_from_schedules(schedules)
    week: list[str] = []
    if blocks:
        weekly = WeeklyHours(tuple(blocks), timezone_of(schedules, service_timezone()))
        week = weekly.week()
        lines.append(f"Hours ({weekly.status(now)}):")
        lines += [f"  {line}" for line in week]
    else:
        lines.append("Hours: not listed, please call ahead.")
    if service.get("application_process"):
        lines.append(f"How to get in: {service['application_process']}")
    documents = [d["document"] for d in service.get("required_documents") or [] if d.get("document")]
    if documents:
        lines.append("What to bring: " + "; ".join(documents))
    languages = sorted({lang.get("name") for lang in service.get("languages") or [] if lang.get("name")})
    if languages:
        lines.append("Languages: " + ", ".join(languages))
    fees = service.get("fees_description")
    if fees:
        lines.append(f"Cost: {fees}")
    if service.get("eligibility_description"):
        lines.append(f"Who it's for: {service['eligibility_description']}")
    if service.get("alert"):
        lines.append(f"Please note: {service['alert']}")
    payload = {
        "type": "service_details",
        "service": {
            **(result or {}),
            "id": service["id"],
            "name": service["name"],
            "hours_week": week,
        },
    }
    return Reply("\n".join(lines), payload)
