"""Log scrubbing: no caller's words and no unmasked phone number reach a log.

``install_log_scrubbing()`` adds one ``logging.Filter`` to every handler configured
in the process (the root logger's and any logger's own, such as Sanic's access log),
and routes Python warnings through logging so that they pass it too. The filter
rewrites each record before it is written:

- phone numbers (E.164, ``%2B``-encoded in URLs, and US 10-digit forms) are masked
  as ``bot.sms.mask_phone`` masks them, so ``sms:+12155550123`` becomes ``sms:***0123``;
- SQLAlchemy's ``[parameters: ...]`` (the values of a failed statement: conversation
  ids, events with the caller's text) is dropped;
- Rasa's warning for a message starting with ``/`` that is not a known intent
  (``Failed to parse arguments in line '<the message>'...``) keeps its first words only,
  and Rasa's structured log lines lose the values Rasa itself names as caller data;
- any text a channel passed to ``forget_in_logs`` in the last minutes is redacted
  wherever it appears.

Tracebacks are formatted by the filter itself and scrubbed like messages; no
handler formats the raw exception again.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable

from bot.sms.text import mask_phone

CALLER_TEXT = "[caller text]"
DROPPED_PARAMETERS = "[parameters: not logged]"

_SEPARATOR = r"[ .\-]?"
_US_PHONE = rf"(?:\+?1{_SEPARATOR})?(?:\(\d{{3}}\)[ ]?|\d{{3}}{_SEPARATOR})\d{{3}}{_SEPARATOR}\d{{4}}"
_PHONE = re.compile(
    # %2B is "+" in a URL: what stands before it ("%3A", a ":") is no boundary to look for.
    r"%2[Bb]\d{7,15}(?!\d)"
    # Not inside a longer number, a word or a decimal (a timestamp such as 1733468109.25).
    rf"|(?<![\w+])(?:\+\d{{7,15}}|{_US_PHONE})(?!\w)(?!\.\d)"
)
# SQLAlchemy prints the bound values on one line (repr escapes newlines in strings).
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
# rasa.shared.core.training_data.story_reader.yaml_story_reader: every variant quotes the
# whole message, and some repeat parts of it after ("but found <the rest>"). Rasa colours it:
# the colour's reset at the end is kept.
_SLASH_WARNING = re.compile(r"(Failed to parse arguments in line) '.*?(\x1b\[0m\s*)?\Z", re.DOTALL)
_SLASH_WARNING_REDACTED = r"\1 [a caller's message starting with '/', not logged]\2"
# The structlog keys whose values rasa.utils.log_utils._anonymizer treats as caller data.
_RASA_CALLER_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)

# A caller's words are remembered this long, and this many at most (the newest kept).
REMEMBER_SECONDS = 600.0
REMEMBER_TEXTS = 500
# Shorter words ("yes", "34") are too common to redact everywhere, and say little.
MIN_REMEMBERED_CHARS = 6


def mask_phones(text: str) -> str:
    return _PHONE.sub(lambda match: mask_phone(match.group(0)), text)


class CallerTexts:
    """What callers wrote lately, in the forms it can take in a log line."""

    def __init__(
        self,
        seconds: float = REMEMBER_SECONDS,
        limit: int = REMEMBER_TEXTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._texts: deque[tuple[float, tuple[str, ...]]] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def remember(self, text: str | None) -> None:
        text = (text or "").strip()
        if len(text) < MIN_REMEMBERED_CHARS:
            return
        # As written, and as JSON and repr() quote it (a tracker event, a dict in a message).
        forms = {text, json.dumps(text)[1:-1], repr(text)[1:-1]}
        with self._lock:
            self._texts.append((self.clock(), tuple(sorted(forms, key=len, reverse=True))))

    def redact(self, message: str) -> str:
        with self._lock:
            oldest = self.clock() - self.seconds
            while self._texts and self._texts[0][0] < oldest:
                self._texts.popleft()
            remembered = list(self._texts)
        for _at, forms in reversed(remembered):  # the newest first: it may contain an older one
            for form in forms:
                if form in message:
                    message = message.replace(form, CALLER_TEXT)
        return message


_caller_texts = CallerTexts()


def forget_in_logs(text: str | None) -> None:
    """Redact ``text`` (a caller's message) from every log line of this process for the next
    REMEMBER_SECONDS. Channels call it with each incoming message, before handling it."""
    _caller_texts.remember(text)


def _redact_rasa_structured(message: str) -> str:
    """Rasa's structlog lines are JSON objects (outside a terminal): caller data out of them."""
    if not (message.startswith("{") and message.endswith("}") and '"event"' in message):
        return message
    try:
        document = json.loads(message)
    except ValueError:
        return message
    if not isinstance(document, dict) or not _RASA_CALLER_KEYS & document.keys():
        return message
    return json.dumps(
        {key: CALLER_TEXT if key in _RASA_CALLER_KEYS else value for key, value in document.items()}
    )


def scrub(text: str, caller_texts: CallerTexts | None = None) -> str:
    """``text`` with callers' words and phone numbers taken out (see the module's description)."""
    text = _SLASH_WARNING.sub(_SLASH_WARNING_REDACTED, text)
    text = _redact_rasa_structured(text)
    text = _SQL_PARAMETERS.sub(DROPPED_PARAMETERS, text)
    text = (caller_texts or _caller_texts).redact(text)
    return mask_phones(text)


# Attributes every LogRecord has; others (a handler's extras, such as Sanic's request line) are scrubbed too.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class ScrubFilter(logging.Filter):
    """Rewrites each record it sees (message, extras, traceback) with ``scrub``; drops none."""

    def __init__(self, caller_texts: CallerTexts | None = None) -> None:
        super().__init__()
        self.caller_texts = caller_texts
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: logging reports it, with neither message nor arguments
            record.msg, record.args = "(a log message that could not be formatted)", None
        else:
            record.msg, record.args = self._scrub(message), None
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, self._scrub(value))
        if record.exc_info:
            # Formatted here, like logging.Formatter would, so that no handler formats it unscrubbed.
            record.exc_text = record.exc_text or self._formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        return True

    def _scrub(self, text: str) -> str:
        return scrub(text, self.caller_texts)


_filter = ScrubFilter()


def _every_handler() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    return [handler for logger in loggers for handler in logger.handlers]


def install_log_scrubbing() -> None:
    """Filter every handler of the root logger (and Python warnings) in this process.

    Call it once logging is configured: a handler added later is not filtered. Idempotent."""
    logging.captureWarnings(True)
    for handler in _every_handler():
        if _filter not in handler.filters:
            handler.addFilter(_filter)
