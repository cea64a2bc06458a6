"""What a text message says: keywords, bot messages as plain text, splitting, masking.

Bot messages arrive as Rasa sends them to a channel (``text``, ``buttons``,
``custom``). A phone shows none of the widget's buttons or cards, so:

- buttons become a numbered list, and the caller's reply "1", "2"... selects
  that option (the menu this returns is remembered per number);
- referral cards (``{"type": "referrals", "services": [...]}``) become compact
  lines (name, phone, distance, open now) in place of the long per-service
  lines of the text; a button whose title ends with a card's number ("Details
  on 2") is selected by that number, so the numbers callers see on the cards
  are the numbers they reply with;
- a crisis message (``"crisis": true``) always keeps 911 and 988;
- a long answer is split at paragraph, line, then sentence boundaries into
  messages of at most 1,600 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.programs import organization

MAX_SMS_CHARS = 1600


class Keyword(str, Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


# The carriers' and Twilio's standard keywords (CTIA), plus REVOKE and OPTOUT.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def classify_keyword(text: str | None) -> Keyword | None:
    """The keyword this whole message is (case-insensitive, trimmed), if it is one."""
    word = (text or "").strip().upper()
    if word in OPT_OUT_WORDS:
        return Keyword.OPT_OUT
    if word in OPT_IN_WORDS:
        return Keyword.OPT_IN
    if word in HELP_WORDS:
        return Keyword.HELP
    return None


def help_text(org: dict | None = None) -> str:
    org = org or organization()
    contact = f" Questions: call {org['phone']}." if org.get("phone") else ""
    return (
        f"{org['name']}: help finding mental health and other services by text.{contact} "
        "Reply STOP to opt out, START to opt back in. "
        "In a crisis, call or text 988; in an emergency, call 911. Msg & data rates may apply. "
        "Or just tell me what you're looking for."
    )


def opt_out_text(org: dict | None = None) -> str:
    org = org or organization()
    return (
        f"You're unsubscribed from {org['name']} and won't get more texts from us. "
        "Reply START to opt back in. In a crisis, call or text 988."
    )


def opt_in_text(org: dict | None = None) -> str:
    org = org or organization()
    return (
        f"You're subscribed again to {org['name']}. Reply HELP for help, STOP to opt out. "
        "What can I help you find?"
    )


def mask_phone(number: str | None) -> str:
    """A phone number fit for logs: its last digits only (4 of a full number, 2 of a short code)."""
    digits = re.sub(r"\D", "", number or "")
    keep = 4 if len(digits) >= 10 else 2
    if len(digits) <= keep:
        return "***"
    return "***" + digits[-keep:]


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Rendered:
    text: str
    # Reply digit -> payload to send to the assistant; None when the message offered no choices.
    menu: dict[str, str] | None = None


SERVICE_LINE = re.compile(r"^(\d+)\. ")
TRAILING_NUMBER = re.compile(r"(\d+)\s*$")
CHOICE = re.compile(r"\s*#?\s*(\d{1,2})\s*[.)]?\s*")


def card_line(number: int, service: dict[str, Any]) -> str:
    """One referral card as a compact line: name - phone - distance - open now."""
    facts = []
    if service.get("phone"):
        facts.append(str(service["phone"]))
    distance = service.get("distance_miles")
    facts.append(f"{distance:g} mi" if isinstance(distance, (int, float)) else "by phone or online")
    if service.get("open_now") is True:
        facts.append("open now")
    elif service.get("open_now") is False:
        facts.append("closed now")
    return " - ".join([f"{number}. {service.get('name') or 'Service'}", *facts])


def _with_card_lines(text: str, services: list[dict]) -> tuple[str, list[int]]:
    """The text with its per-service blocks replaced by compact card lines, and the cards' numbers."""
    lines = text.split("\n") if text else []
    first = next((int(m.group(1)) for line in lines if (m := SERVICE_LINE.match(line))), 1)
    numbers = list(range(first, first + len(services)))
    cards = [card_line(first + index, service) for index, service in enumerate(services)]
    kept: list[str] = []
    inserted = in_block = False
    for line in lines:
        if SERVICE_LINE.match(line):
            in_block = True
            if not inserted:
                kept.extend(cards)
                inserted = True
            continue
        # A service's details (phone, why, notes) are indented under its line.
        if in_block and line[:1] in (" ", "\t"):
            continue
        in_block = False
        kept.append(line)
    if not inserted:
        kept.extend(cards)
    return "\n".join(kept), numbers


ENGLISH_CRISIS_LINES = {
    "911": "In an emergency, call 911.",
    "988": "Call or text 988, the Suicide & Crisis Lifeline, any time. It's free and confidential.",
}
SPANISH_CRISIS_LINES = {
    "911": "En una emergencia, llame al 911.",
    "988": "Llame al 988 y marque 2, o envíe AYUDA por texto al 988, a cualquier hora.",
}


def _with_crisis_lines(text: str, payload: dict) -> str:
    """Whatever else is cut, a crisis message names 911 and 988."""
    lines = SPANISH_CRISIS_LINES if payload.get("language") == "es" else ENGLISH_CRISIS_LINES
    missing = [line for number, line in lines.items() if number not in text]
    return "\n".join([text, *missing]) if text else "\n".join(missing)


def _numbered(buttons: list[dict], card_numbers: list[int]) -> tuple[list[str], dict[str, str]]:
    menu: dict[str, str] = {}
    lines: list[str] = []
    next_number = (max(card_numbers) + 1) if card_numbers else 1
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip()
        payload = str(button.get("payload") or title)
        if not title:
            continue
        match = TRAILING_NUMBER.search(title)
        if match and int(match.group(1)) in card_numbers and match.group(1) not in menu:
            menu[match.group(1)] = payload
            continue
        menu[str(next_number)] = payload
        lines.append(f"{next_number}. {title}")
        next_number += 1
    if lines:
        lines.insert(0, "Or reply with a number:" if card_numbers else "Reply with a number:")
    return lines, menu


def render_message(message: dict[str, Any]) -> Rendered:
    """A bot message (as Rasa hands it to a channel) as the text of one SMS answer, and its menu."""
    text = str(message.get("text") or "").strip()
    custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
    card_numbers: list[int] = []
    services = custom.get("services")
    if custom.get("type") == "referrals" and isinstance(services, list) and services:
        text, card_numbers = _with_card_lines(text, [s for s in services if isinstance(s, dict)])
    if custom.get("crisis") is True:
        text = _with_crisis_lines(text, custom)
    if not text and isinstance(custom.get("text"), str):
        text = custom["text"].strip()
    for key in ("image", "attachment"):
        if isinstance(message.get(key), str) and message[key].strip():
            text = f"{text}\n{message[key].strip()}" if text else message[key].strip()
    buttons = [
        b for b in (message.get("buttons") or message.get("quick_replies") or []) if isinstance(b, dict)
    ]
    menu = None
    if buttons:
        lines, menu = _numbered(buttons, card_numbers)
        if lines:
            text = "\n\n".join(part for part in (text, "\n".join(lines)) if part)
    return Rendered(text.strip(), menu)


def menu_choice(text: str | None, menu: dict[str, str] | None) -> str | None:
    """The payload a reply such as "2" selects from the last menu, if it selects one."""
    match = CHOICE.fullmatch(text or "")
    if not match or not menu:
        return None
    return menu.get(str(int(match.group(1))))


# ---------------------------------------------------------------- splitting


def sms_length(text: str) -> int:
    # An emoji is two UTF-16 units; counting units keeps a part within the limit however it is counted.
    return len(text.encode("utf-16-le")) // 2


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Paragraphs, then lines, then sentences, then words: the largest units that fit.
LEVELS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\n\s*\n"), "\n\n"),
    (re.compile(r"\n"), "\n"),
    (SENTENCE_END, " "),
    (re.compile(r"\s+"), " "),
)


def split_message(text: str, limit: int = MAX_SMS_CHARS) -> list[str]:
    """The text as messages of at most ``limit`` characters, split at the largest boundary that fits."""
    text = (text or "").strip()
    if not text:
        return []
    return [part for part in _split(text, limit, 0) if part]


def _split(text: str, limit: int, level: int) -> list[str]:
    if sms_length(text) <= limit:
        return [text]
    if level == len(LEVELS):
        return _hard_cut(text, limit)
    pattern, separator = LEVELS[level]
    pieces = [piece.strip() for piece in pattern.split(text) if piece.strip()]
    if len(pieces) < 2:
        return _split(text, limit, level + 1)
    parts: list[str] = []
    current = ""
    for piece in pieces:
        for chunk in _split(piece, limit, level + 1):
            candidate = f"{current}{separator}{chunk}" if current else chunk
            if sms_length(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = chunk
    if current:
        parts.append(current)
    return parts


def _hard_cut(text: str, limit: int) -> list[str]:
    """A single word longer than a message (a URL, keyboard mash): cut by characters."""
    parts, current, length = [], [], 0
    for char in text:
        units = 2 if ord(char) > 0xFFFF else 1
        if length + units > limit:
            parts.append("".join(current))
            current, length = [], 0
        current.append(char)
        length += units
    if current:
        parts.append("".join(current))
    return parts
