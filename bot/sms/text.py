"""What a text message says: keywords, bot messages as plain text, splitting, masking.

Bot messages arrive as Rasa sends them to a channel (``text``, ``buttons``,
``custom``). A phone shows none of the widget's buttons or cards, so:

- buttons become a numbered list, and the caller's reply "1", "2"... selects
  that option (the menu this returns is remembered per number);
- referral cards (``{"type": "referrals", "services": [...]}``, bot/messages.py)
  become compact lines (name, phone, distance, open now) drawn from the cards,
  not from the text; a button whose title ends with a card's number ("Details
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

from bot.copy import say
from bot.messages import Card, Crisis, Referrals, card_facts, payload_from_json
from bot.programs import organization

MAX_SMS_CHARS = 1600


class Keyword(str, Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


# The carriers' and Twilio's standard keywords (CTIA), plus REVOKE and OPTOUT, and their Spanish
# counterparts (Twilio's Advanced Opt-Out lets a sender add them; we honour them ourselves too).
OPT_OUT_WORDS = {
    "en": frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}),
    "es": frozenset({"PARAR", "ALTO", "CANCELAR", "DETENER", "BAJA"}),
}
OPT_IN_WORDS = {
    "en": frozenset({"START", "UNSTOP", "YES"}),
    "es": frozenset({"COMENZAR", "INICIAR", "SI", "SÍ"}),
}
HELP_WORDS = {"en": frozenset({"HELP", "INFO"}), "es": frozenset({"AYUDA"})}


def classify_keyword(text: str | None) -> Keyword | None:
    """The keyword this whole message is (case-insensitive, trimmed), if it is one."""
    found = keyword_and_language(text)
    return found[0] if found else None


def keyword_and_language(text: str | None) -> tuple[Keyword, str] | None:
    """The keyword this whole message is and the language it is a word of ("PARAR": Spanish)."""
    word = (text or "").strip().upper()
    for keyword, words in (
        (Keyword.OPT_OUT, OPT_OUT_WORDS),
        (Keyword.OPT_IN, OPT_IN_WORDS),
        (Keyword.HELP, HELP_WORDS),
    ):
        for language, vocabulary in words.items():
            if word in vocabulary:
                return keyword, language
    return None


def help_text(org: dict | None = None, language: str = "en") -> str:
    org = org or organization()
    contact = say("sms.help_contact", language, phone=org["phone"]) if org.get("phone") else ""
    return say("sms.help", language, org=org["name"], contact=contact)


def opt_out_text(org: dict | None = None, language: str = "en") -> str:
    return say("sms.opted_out", language, org=(org or organization())["name"])


def opt_in_text(org: dict | None = None, language: str = "en") -> str:
    return say("sms.opted_in", language, org=(org or organization())["name"])


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


TRAILING_NUMBER = re.compile(r"(\d+)\s*$")
CHOICE = re.compile(r"\s*#?\s*(\d{1,2})\s*[.)]?\s*")


def card_line(card: Card, language: str = "en") -> str:
    """One referral card as a compact line: name - phone - distance - open now."""
    facts = [card.phone] if card.phone else []
    facts += card_facts(card, language)[:2]  # distance, open or closed now
    return " - ".join([f"{card.number}. {card.name or 'Service'}", *facts])


def referrals_text(referrals: Referrals) -> str:
    """A referral list for a phone: notices, intro, one compact line per card, the footer."""
    lines = [*referrals.notices, referrals.intro]
    lines += [card_line(card, referrals.language) for card in referrals.services]
    return "\n".join(line for line in [*lines, *referrals.footer] if line)


def _with_crisis_lines(text: str, language: str) -> str:
    """Whatever else is cut, a crisis message names 911 and 988."""
    lines = {number: say(f"crisis.line_{number}", language) for number in ("911", "988")}
    missing = [line for number, line in lines.items() if number not in text]
    return "\n".join([text, *missing]) if text else "\n".join(missing)


def _numbered(
    buttons: list[dict], card_numbers: list[int], language: str
) -> tuple[list[str], dict[str, str]]:
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
        lines.insert(0, say("sms.or_reply_number" if card_numbers else "sms.reply_number", language))
    return lines, menu


def render_message(message: dict[str, Any]) -> Rendered:
    """A bot message (as Rasa hands it to a channel) as the text of one SMS answer, and its menu.

    Drawn from the message's typed payload (bot/messages.py) where it has one: referral cards
    become compact numbered lines; a crisis message always keeps 911 and 988."""
    text = str(message.get("text") or "").strip()
    custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
    payload = payload_from_json(custom)
    language = payload.language if payload else str(custom.get("language") or "en")
    card_numbers: list[int] = []
    if isinstance(payload, Referrals) and payload.services:
        text = referrals_text(payload)
        card_numbers = [card.number for card in payload.services]
    if isinstance(payload, Crisis) or custom.get("crisis") is True:  # even a payload of no known type
        text = _with_crisis_lines(text, language)
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
        lines, menu = _numbered(buttons, card_numbers, language)
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


# GSM 03.38: the basic set (one septet each) and the extension table (two: an escape, then the
# character). Any other character, "á" or "ó" included, sends the whole message as UCS-2.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def segments(text: str) -> int:
    """How many SMS segments a message is billed and sent as: 160 GSM-7 septets or 70 UCS-2
    units in one, 153 or 67 each once concatenated (a UDH takes the rest)."""
    if not text:
        return 0
    if is_gsm7(text):
        units, single, part = sum(2 if c in GSM7_EXTENDED else 1 for c in text), 160, 153
    else:
        units, single, part = sms_length(text), 70, 67
    return 1 if units <= single else -(-units // part)


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
