"""The reply contract: every kind of bot message as a typed payload (JSON shapes: docs/messages.md).

A bot message is ``text`` (a fallback for plain REST clients), ``buttons`` and a ``custom``
payload. Channels render from the payload (the widget draws cards, SMS writes compact
numbered lines, the console shows the transcript) and never parse the text back; the text
itself is drawn from the same structure by ``plain_text``. Every payload carries the
language of its words, so a channel renders its own labels in the same language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

from bot.copy import DEFAULT_LANGUAGE, say

Json = dict[str, Any]


@dataclass(frozen=True)
class Card:
    """One service in a referral list, numbered as the caller picks it ("Details on 2")."""

    number: int
    id: str
    name: str
    organization: str | None = None
    distance_miles: float | None = None
    phone: str | None = None
    address: str | None = None
    open_now: bool | None = None
    hours_today: str | None = None
    next_open: str | None = None
    url: str | None = None
    reasons: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()

    def to_json(self) -> Json:
        return {**asdict(self), "reasons": list(self.reasons), "caveats": list(self.caveats)}

    @classmethod
    def from_json(cls, data: Json, number: int) -> Card:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["number"] = int(data.get("number") or number)
        values["id"] = str(data.get("id") or "")
        values["name"] = str(data.get("name") or "")
        values["reasons"] = tuple(str(r) for r in data.get("reasons") or ())
        values["caveats"] = tuple(str(c) for c in data.get("caveats") or ())
        return cls(**values)


@dataclass(frozen=True)
class Payload:
    """What every payload shares: its ``type`` and the language its words are in."""

    type: ClassVar[str] = ""
    language: str = DEFAULT_LANGUAGE

    def to_json(self) -> Json:
        return {"type": self.type, **asdict(self)}

    @classmethod
    def from_json(cls, data: Json) -> Payload:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class Paging:
    first: int  # the number of the first card shown
    shown: int
    total: int

    @property
    def more(self) -> bool:
        return self.total > self.first - 1 + self.shown


@dataclass(frozen=True)
class Referrals(Payload):
    """A list of services: notices, an intro, the cards, and what the caller can do next."""

    type: ClassVar[str] = "referrals"
    need: str | None = None
    intro: str = ""
    services: tuple[Card, ...] = ()
    paging: Paging | None = None
    footer: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    # Every fitting service is closed at the times the caller asked: the cards say when each opens.
    closed_at_times_asked: bool = False

    def to_json(self) -> Json:
        paging = self.paging or Paging(first=1, shown=len(self.services), total=len(self.services))
        return {
            "type": self.type,
            "language": self.language,
            "need": self.need,
            "notices": list(self.notices),
            "intro": self.intro,
            "services": [service.to_json() for service in self.services],
            "paging": {**asdict(paging), "more": paging.more},
            "footer": list(self.footer),
            "closed_at_times_asked": self.closed_at_times_asked,
        }

    @classmethod
    def from_json(cls, data: Json) -> Referrals:
        raw = [s for s in data.get("services") or [] if isinstance(s, dict)]
        paging = data.get("paging") if isinstance(data.get("paging"), dict) else {}
        first = int(paging.get("first") or 1)
        services = tuple(Card.from_json(s, first + index) for index, s in enumerate(raw))
        return cls(
            language=str(data.get("language") or DEFAULT_LANGUAGE),
            need=data.get("need"),
            intro=str(data.get("intro") or ""),
            services=services,
            paging=Paging(
                first, int(paging.get("shown") or len(services)), int(paging.get("total") or len(services))
            ),
            footer=tuple(str(line) for line in data.get("footer") or ()),
            notices=tuple(str(line) for line in data.get("notices") or ()),
            closed_at_times_asked=bool(data.get("closed_at_times_asked")),
        )


@dataclass(frozen=True)
class ServiceDetails(Payload):
    """One service in full: what the caller needs to act on it."""

    type: ClassVar[str] = "service_details"
    service: Json = field(default_factory=dict)  # a card's fields plus the rows below
    rows: tuple[tuple[str, str], ...] = ()  # (label, value): description, contact, hours, how to get in...

    def to_json(self) -> Json:
        return {
            "type": self.type,
            "language": self.language,
            "service": self.service,
            "rows": [{"label": label, "value": value} for label, value in self.rows],
        }

    @classmethod
    def from_json(cls, data: Json) -> ServiceDetails:
        rows = tuple(
            (str(row.get("label") or ""), str(row.get("value") or ""))
            for row in data.get("rows") or ()
            if isinstance(row, dict)
        )
        return cls(
            language=str(data.get("language") or DEFAULT_LANGUAGE),
            service=dict(data.get("service") or {}),
            rows=rows,
        )


@dataclass(frozen=True)
class Crisis(Payload):
    """The answer to a caller at risk: the lines to reach now, at a level."""

    type: ClassVar[str] = "crisis"
    level: str = "imminent"
    categories: tuple[str, ...] = ("unspecified",)
    third_party: bool = False
    resources: tuple[Json, ...] = ()
    advocates_online: bool = False

    def to_json(self) -> Json:
        return {
            "type": self.type,
            "crisis": True,
            "language": self.language,
            "level": self.level,
            "categories": list(self.categories),
            "third_party": self.third_party,
            "resources": [dict(r) for r in self.resources],
            "advocates_online": self.advocates_online,
        }

    @classmethod
    def from_json(cls, data: Json) -> Crisis:
        return cls(
            language=str(data.get("language") or DEFAULT_LANGUAGE),
            level=str(data.get("level") or "imminent"),
            categories=tuple(data.get("categories") or ("unspecified",)),
            third_party=bool(data.get("third_party")),
            resources=tuple(r for r in data.get("resources") or () if isinstance(r, dict)),
            advocates_online=bool(data.get("advocates_online")),
        )


@dataclass(frozen=True)
class CrisisCheck(Payload):
    """The caller's answer to the direct question about suicide, and what follows it."""

    type: ClassVar[str] = "crisis_check"
    answer: str = "no"

    def to_json(self) -> Json:
        return {**super().to_json(), "crisis": False}


@dataclass(frozen=True)
class Handoff(Payload):
    """Where the conversation stands with the human team."""

    type: ClassVar[str] = "handoff"
    state: str = "waiting"  # waiting, with_advocate, returned_to_bot, resolved
    position: int | None = None
    advocates_online: bool | None = None
    advocate: str | None = None


@dataclass(frozen=True)
class AdvocateMessage(Payload):
    """Words an advocate typed in the console; the text is theirs."""

    type: ClassVar[str] = "advocate_message"
    advocate: str | None = None


@dataclass(frozen=True)
class Callback(Payload):
    type: ClassVar[str] = "callback"
    state: str = "requested"


@dataclass(frozen=True)
class AdvocacyIntake(Payload):
    type: ClassVar[str] = "advocacy_intake"
    state: str = "sent"
    reference: int | str | None = None


@dataclass(frozen=True)
class Language(Payload):
    """The conversation's language changed: channels switch their own words."""

    type: ClassVar[str] = "language"


PAYLOADS: dict[str, type[Payload]] = {
    kind.type: kind
    for kind in (
        Referrals,
        ServiceDetails,
        Crisis,
        CrisisCheck,
        Handoff,
        AdvocateMessage,
        Callback,
        AdvocacyIntake,
        Language,
    )
}


def payload_from_json(data: object) -> Payload | None:
    """The typed payload of a message's ``custom`` part; None for none or an unknown type."""
    if not isinstance(data, dict):
        return None
    kind = PAYLOADS.get(str(data.get("type") or ""))
    if kind is None:
        return None
    try:
        return kind.from_json(data)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Message:
    """One bot message: the payload, the buttons, and the text drawn from them."""

    text: str
    payload: Payload | None = None
    buttons: tuple[Json, ...] = ()

    @classmethod
    def of(
        cls, payload: Payload, buttons: list[Json] | tuple[Json, ...] = (), text: str | None = None
    ) -> Message:
        return cls(text if text is not None else plain_text(payload), payload, tuple(buttons))

    def to_rasa(self) -> Json:
        """Keyword arguments for a dispatcher's ``utter_message``."""
        return {
            "text": self.text,
            "buttons": list(self.buttons) or None,
            "json_message": self.payload.to_json() if self.payload else None,
        }


# ---------------------------------------------------------------- the text fallback


def card_facts(card: Card, language: str) -> list[str]:
    """Distance (or by phone), open or closed now, and when it opens: a card's first line."""
    facts = [
        say("card.miles", language, miles=f"{card.distance_miles:g}")
        if card.distance_miles is not None
        else say("card.remote", language)
    ]
    if card.open_now is True:
        facts.append(say("card.open_now", language))
    elif card.open_now is False:
        facts.append(say("card.closed_now", language))
        if card.next_open:
            facts.append(card.next_open)
    return facts


def card_text(card: Card, language: str) -> str:
    """A card as a numbered block: name and facts, how to reach it, why it fits, what to check."""
    text = f"{card.number}. {card.name} ({', '.join(card_facts(card, language))})"
    reach = ", ".join(part for part in (card.phone, card.address) if part)
    if reach:
        text += f"\n   {reach}"
    why = [reason for reason in card.reasons if not reason.endswith("miles away")]
    if why:
        text += "\n   " + say("card.why", language, reasons="; ".join(why).rstrip("."))
    if card.caveats:
        text += "\n   " + say("card.check", language, caveats="; ".join(card.caveats).rstrip("."))
    return text


def plain_text(payload: Payload) -> str:
    """The payload as text, for clients that show text alone."""
    if isinstance(payload, Referrals):
        lines = [*payload.notices, payload.intro, *(card_text(c, payload.language) for c in payload.services)]
        return "\n".join(line for line in [*lines, *payload.footer] if line)
    if isinstance(payload, ServiceDetails):
        return "\n".join(_row_text(label, value) for label, value in payload.rows)
    return ""


def _row_text(label: str, value: str) -> str:
    if not label:
        return value
    if "\n" in value:  # a week of hours: one day per line, under the label
        return f"{label}:\n" + "\n".join(f"  {line}" for line in value.split("\n"))
    return f"{label}: {value}"
