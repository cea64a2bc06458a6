"""What a caller reads about services: result lists, nothing found, one service in detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.config import service_timezone
from bot.copy import button, say
from bot.directory import SearchResponse
from bot.directory.hours import WeeklyHours, blocks_from_schedules, clock_text, timezone_of
from bot.directory.places import Place
from bot.directory.taxonomy import NEEDS, Taxonomy
from bot.messages import Card, Message, Paging, Referrals, ServiceDetails
from bot.referral.needs import When

PAGE_SIZE = 3


def where_label(place: Place | None, language: str = "en") -> str:
    if place is None:
        return ""
    return say("referrals.near", language, place=place.label)


def card(result, number: int) -> Card:
    """One service of a search as the card channels render."""
    return Card(
        number=number,
        id=result.service_id,
        name=result.name,
        organization=result.organization,
        distance_miles=result.distance_miles,
        phone=result.phone,
        address=result.address,
        open_now=result.open_now,
        hours_today=result.hours_today,
        next_open=getattr(result, "next_open", None),
        url=result.url,
        reasons=tuple(result.reasons),
        caveats=tuple(result.caveats),
    )


@dataclass
class Reply:
    text: str
    payload: dict | None = None
    buttons: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, message: Message) -> Reply:
        return cls(
            message.text, message.payload.to_json() if message.payload else None, list(message.buttons)
        )


def need_label(taxonomy: Taxonomy, need: str | None, language: str = "en") -> str:
    return taxonomy.term(NEEDS, need).label(language) if need else say("referrals.services", language)


def _detail_buttons(first: int, count: int, language: str) -> list[dict]:
    return [
        button("button.details_on", language, f'/choose_option{{"option": "{number}"}}', number=number)
        for number in range(first, first + count)
    ]


def results_reply(
    taxonomy: Taxonomy, response: SearchResponse, start: int, intro: str | None = None, language: str = "en"
) -> Reply:
    """Results ``start``.. of a search, numbered from ``start + 1``, as cards, text and buttons."""
    shown = response.results[start : start + PAGE_SIZE]
    label = need_label(taxonomy, response.query.need, language)
    near = where_label(response.place, language)
    if intro is None:
        if start > 0:
            intro = say("referrals.more", language, need=label)
        elif len(shown) == 1:
            intro = say("referrals.first.one", language, need=label, near=near)
        else:
            intro = say("referrals.first.many", language, count=len(shown), need=label, near=near)
    footer = []
    if len(shown) < PAGE_SIZE and start == 0 and response.total < PAGE_SIZE:
        footer.append(say("referrals.everything", language))
    footer.append(say("referrals.pick", language))
    buttons = _detail_buttons(start + 1, len(shown), language)
    if response.total > start + len(shown):
        buttons.append(button("button.more_options", language, "/more_options"))
    buttons += [
        button("button.open_now", language, "/ask_open_now"),
        button("button.closest", language, "/ask_closest"),
    ]
    payload = Referrals(
        language=language,
        need=response.query.need,
        notices=tuple(response.notices),
        intro=intro,
        services=tuple(card(result, start + index + 1) for index, result in enumerate(shown)),
        paging=Paging(first=start + 1, shown=len(shown), total=response.total),
        footer=tuple(footer),
    )
    return Reply.of(Message.of(payload, buttons))


def closed_reply(
    taxonomy: Taxonomy, response: SearchResponse, when: When, language: str = "en", start: int = 0
) -> Reply:
    """Services that fit but are closed at the times asked: when they open, soonest first
    (``start``.. of them, numbered from ``start + 1``, for "more options")."""
    closed = response.closed_matches
    shown = closed[start : start + PAGE_SIZE]
    label = need_label(taxonomy, response.query.need, language)
    if start > 0:
        intro = say("referrals.more", language, need=label)
    else:
        intro = say(
            "referrals.closed.one" if len(closed) == 1 else "referrals.closed.many",
            language,
            count=len(closed),
            need=label,
            near=where_label(response.place, language),
            when=when_words(when, language),
        )
    buttons = _detail_buttons(start + 1, len(shown), language)
    if len(closed) > start + len(shown):
        buttons.append(button("button.more_options", language, "/more_options"))
    buttons.append(button("button.advocate", language, "/human_handoff"))
    payload = Referrals(
        language=language,
        need=response.query.need,
        notices=tuple(response.notices),
        intro=intro,
        services=tuple(card(result, start + index + 1) for index, result in enumerate(shown)),
        paging=Paging(first=start + 1, shown=len(shown), total=len(closed)),
        footer=(say("referrals.pick", language),),
        closed_at_times_asked=True,
    )
    return Reply.of(Message.of(payload, buttons))


def when_words(when: When, language: str = "en") -> str:
    """ "right now", "on Saturdays after 6 pm": the times a caller asked for, in their terms."""
    if when.now or when.open_now:
        return say("when.right_now", language)
    parts = [say("when.today", language)] if when.today else []
    if when.days:
        names = [say(f"days.{day}", language) for day in when.days]
        parts.append(say("when.on_days", language, days=say("when.or", language).join(names)))
    if when.after:
        parts.append(say("when.after", language, clock=clock_text(when.after, language)))
    if when.before:
        parts.append(say("when.before", language, clock=clock_text(when.before, language)))
    if when.any_time_days:
        names = [say(f"days.{day}", language) for day in when.any_time_days]
        either = say("when.on_days", language, days=say("when.or", language).join(names))
        return say("when.or", language).join([" ".join(parts), either]) if parts else either
    return " ".join(parts) or say("when.asked", language)


def no_results_reply(taxonomy: Taxonomy, response: SearchResponse, language: str = "en") -> Reply:
    label = need_label(taxonomy, response.query.need, language)
    intro = say("referrals.none", language, need=label, near=where_label(response.place, language))
    footer = []
    buttons = []
    if response.relaxations:
        footer.append(say("referrals.try", language))
        for relaxation in response.relaxations[:3]:
            footer.append(
                say("referrals.try_one", language, suggestion=relaxation.suggestion, count=relaxation.matches)
            )
            buttons.append(
                {
                    "title": relaxation.suggestion.capitalize(),
                    "payload": f'/relax_search{{"constraint": "{relaxation.constraint}"}}',
                }
            )
    footer.append(say("referrals.or_advocate", language))
    buttons.append(button("button.advocate", language, "/human_handoff"))
    payload = Referrals(
        language=language,
        need=response.query.need,
        notices=tuple(response.notices),
        intro=intro,
        paging=Paging(first=1, shown=0, total=0),
        footer=tuple(footer),
    )
    return Reply.of(Message.of(payload, buttons))


# --- one service in detail ------------------------------------------------


def details_reply(
    service: dict, result: Card | None, now: datetime | None = None, language: str = "en"
) -> Reply:
    """Everything a caller needs to act on one service: hours, how to get in, what to bring."""
    now = now or datetime.now(timezone.utc)
    title = service["name"]
    organization = (service.get("organization") or {}).get("name")
    if organization and organization != service["name"]:
        title += f" ({organization})"
    rows: list[tuple[str, str]] = [("", title)]
    if service.get("description"):
        rows.append(("", service["description"]))
    if result:
        reach = [part for part in (result.phone, result.address) if part]
        if reach:
            rows.append((say("details.contact", language), " | ".join(reach)))
    schedules = list(service.get("schedules") or [])
    for place in service.get("service_at_locations") or []:
        schedules += place.get("schedules") or []
    blocks = blocks_from_schedules(schedules)
    week: list[str] = []
    if blocks:
        weekly = WeeklyHours(tuple(blocks), timezone_of(schedules, service_timezone()))
        week = weekly.week(language)
        rows.append((say("details.hours", language, status=weekly.status(now, language)), "\n".join(week)))
    else:
        rows.append((say("details.no_hours", language), say("details.no_hours_value", language)))
    if service.get("application_process"):
        rows.append((say("details.how_to_get_in", language), service["application_process"]))
    documents = [d["document"] for d in service.get("required_documents") or [] if d.get("document")]
    if documents:
        rows.append((say("details.what_to_bring", language), "; ".join(documents)))
    languages = sorted({lang.get("name") for lang in service.get("languages") or [] if lang.get("name")})
    if languages:
        rows.append((say("details.languages", language), ", ".join(languages)))
    if service.get("fees_description"):
        rows.append((say("details.cost", language), service["fees_description"]))
    if service.get("eligibility_description"):
        rows.append((say("details.who_for", language), service["eligibility_description"]))
    if service.get("alert"):
        rows.append((say("details.alert", language), service["alert"]))
    card_fields = result.to_json() if result else {}
    card_fields.pop("number", None)
    payload = ServiceDetails(
        language=language,
        service={**card_fields, "id": service["id"], "name": service["name"], "hours_week": week},
        rows=tuple(rows),
    )
    return Reply.of(Message.of(payload))
