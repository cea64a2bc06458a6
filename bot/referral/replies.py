"""What a caller reads about services: result lists, nothing found, one service in detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.config import service_timezone
from bot.directory import SearchResponse
from bot.directory.hours import DAY_NAMES, DAYS, WeeklyHours, blocks_from_schedules, timezone_of
from bot.directory.places import Place
from bot.directory.taxonomy import NEEDS, Taxonomy
from bot.referral.needs import When

PAGE_SIZE = 3


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
        "next_open": getattr(result, "next_open", None),
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
        if getattr(result, "next_open", None):
            facts.append(result.next_open)
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


def closed_reply(taxonomy: Taxonomy, response: SearchResponse, when: When) -> Reply:
    """Services that fit but are closed at the times asked: when they open, soonest first."""
    closed = response.closed_matches
    shown = closed[:PAGE_SIZE]
    label = need_label(taxonomy, response.query.need)
    fits = "1 service fits" if len(closed) == 1 else f"{len(closed)} services fit"
    lines = [
        *response.notices,
        f"{fits} what you need for {label}{where_label(response.place)}, but none is open {when_words(when)}. "
        "Here they are, soonest to open first:",
    ]
    lines += [_line(index + 1, result) for index, result in enumerate(shown)]
    lines.append("Pick a number for details (hours, how to get in, what to bring), or ask for more options.")
    buttons = [
        {"title": f"Details on {i + 1}", "payload": f'/choose_option{{"option": "{i + 1}"}}'}
        for i in range(len(shown))
    ]
    if len(closed) > len(shown):
        buttons.append({"title": "More options", "payload": "/more_options"})
    buttons.append({"title": "Talk to an advocate", "payload": "/human_handoff"})
    payload = {
        "type": "referrals",
        "need": response.query.need,
        "services": [card(r) for r in shown],
        "closed_at_times_asked": True,
    }
    return Reply("\n".join(lines), payload, buttons)


def when_words(when: When) -> str:
    """ "right now", "on Saturdays after 6 pm": the times a caller asked for, in their terms."""
    if when.now or when.open_now:
        return "right now"
    parts = ["today"] if when.today else []
    if when.days:
        parts.append("on " + " or ".join(DAY_NAMES[DAYS.index(day)] + "s" for day in when.days))
    if when.after:
        parts.append(f"after {clock_words(when.after)}")
    if when.before:
        parts.append(f"before {clock_words(when.before)}")
    return " ".join(parts) or "at the times you asked"


def clock_words(clock: str) -> str:
    hour, minute = (int(part) for part in clock.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour} {suffix}" if minute == 0 else f"{hour}:{minute:02d} {suffix}"


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
