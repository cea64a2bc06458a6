"""Log scrubbing (bot.logs): real records through a real handler, real SQLAlchemy errors on a
real SQLite file, and Rasa's own warning for a message starting with "/"."""

from __future__ import annotations

import io
import json
import logging
import warnings
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot import logs
from bot.logs import CallerTexts, ScrubFilter, forget_in_logs, install_log_scrubbing, mask_phones
from tests.locks import writes_blocked

PHONE = "+12155550123"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log(clock) -> Iterator[tuple[logging.Logger, io.StringIO, CallerTexts]]:
    """A logger writing through a scrubbed handler, with its own memory of callers' texts."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    texts = CallerTexts(seconds=60, clock=clock)
    handler.addFilter(ScrubFilter(texts))
    logger = logging.getLogger(f"tests.logs.{id(buffer)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger, buffer, texts
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize(
    "written",
    [
        "+12155550123",
        "sms:+12155550123",
        "rest:tests:+12155550123",
        "/conversations/sms%3A%2B12155550123/tracker",
        "(215) 555-0123",
        "215-555-0123",
        "215.555.0123",
        "2155550123",
        "1-215-555-0123",
        "+442071234567",
    ],
)
def test_phone_numbers_are_masked_to_their_last_digits(written):
    masked = mask_phones(f"from {written}, again")
    assert masked.startswith("from ") and masked.endswith(", again")
    digits = "".join(ch for ch in written if ch.isdigit())
    assert digits[-10:] not in "".join(ch for ch in masked if ch.isdigit())
    assert "***" + digits[-4:] in masked


@pytest.mark.parametrize(
    "kept",
    [
        "call or text 988, or 911",
        "2026-12-06 07:03:05,218",
        "timestamp 1733468109.251",
        "id 4f8a9b0c-1234-5678-9abc-def012345678",
        "http://127.0.0.1:50511/webhooks/rest/webhook",
        "test-1a2b3c4d5e",
        "ZIP 19143",
    ],
)
def test_what_is_not_a_phone_number_is_kept(kept):
    assert mask_phones(kept) == kept


def test_a_failed_statements_parameters_are_dropped_from_message_and_traceback(log, tmp_path):
    logger, buffer, _texts = log
    path = tmp_path / "tracker.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE events (sender_id TEXT, data TEXT)")
    insert = sa.text("INSERT INTO events VALUES (:sender, :data)")
    values = {"sender": f"sms:{PHONE}", "data": json.dumps({"event": "user", "text": "my secret plan"})}
    try:
        with writes_blocked(path), pytest.raises(sa.exc.OperationalError) as raised, engine.begin() as conn:
            conn.execute(insert, values)
        assert PHONE in str(raised.value) and "my secret plan" in str(raised.value)  # what a log would get
        try:
            raise RuntimeError("the tracker store failed") from raised.value
        except RuntimeError as error:
            logger.exception("storing failed: %s", error.__cause__)
    finally:
        engine.dispose()

    written = buffer.getvalue()
    assert "database is locked" in written and "The above exception was the direct cause" in written
    assert written.count("[parameters: not logged]") >= 2  # the message and the traceback
    assert "my secret plan" not in written
    assert "2155550123" not in written


def test_an_exception_is_formatted_once_scrubbed_and_not_again_by_the_handler(log):
    logger, buffer, _texts = log
    try:
        raise ValueError(f"no tracker for sms:{PHONE}")
    except ValueError:
        logger.error("lookup failed", exc_info=True)
    written = buffer.getvalue()
    assert "Traceback (most recent call last)" in written and "sms:***0123" in written
    assert "2155550123" not in written


def test_a_remembered_callers_text_is_redacted_for_a_while(log, clock):
    logger, buffer, texts = log
    texts.remember("i need a place to sleep tonight near Kensington")
    texts.remember("yes")  # too short to redact everywhere
    logger.info("Received user message 'i need a place to sleep tonight near Kensington' (yes)")
    logger.info("event %s", json.dumps({"text": "i need a place to sleep tonight near Kensington"}))
    clock.now += 61
    logger.info("later: i need a place to sleep tonight near Kensington")

    first, second, third = buffer.getvalue().splitlines()
    assert first == f"INFO {logger.name} Received user message '[caller text]' (yes)"
    assert "Kensington" not in second and "[caller text]" in second
    assert third.endswith("later: i need a place to sleep tonight near Kensington")  # forgotten by now


def test_the_channels_api_remembers_for_the_process_wide_filter(log):
    logger, buffer, _texts = log
    process_wide = ScrubFilter()  # the filter install_log_scrubbing adds: the process's memory
    logger.handlers[0].filters[:] = [process_wide]
    forget_in_logs("please do not log this sentence")
    logger.warning("got: please do not log this sentence")
    assert buffer.getvalue().strip().endswith("got: [caller text]")


def test_rasas_warning_for_an_unknown_slash_message_keeps_no_caller_text(log):
    logger, buffer, _texts = log
    domain = Domain.from_dict({"intents": ["greet"], "entities": ["zip"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in (
            f"/some words {PHONE} my private words",
            '/greet{"place": "my private words"}',
            "/greet{not json my private words",
        ):
            YAMLStoryReader.unpack_regex_message(Message.build(text), domain=domain)
    assert len(caught) == 3
    for warning in caught:
        assert "my private words" in str(warning.message)  # Rasa echoes the caller's text
        logger.warning("%s", warnings.formatwarning(warning.message, warning.category, "io.py", 100))

    written = buffer.getvalue()
    assert written.count("Failed to parse arguments in line [a caller's message starting with '/'") == 3
    assert "my private words" not in written and "2155550123" not in written


def test_rasas_structured_log_lines_lose_the_callers_data(log):
    logger, buffer, _texts = log
    logger.warning(json.dumps({"user_text": f"/ {PHONE} my words", "event": "message.parsing.failed"}))
    line = json.loads(buffer.getvalue().split(" ", 2)[2])
    assert line == {"user_text": "[caller text]", "event": "message.parsing.failed"}


def test_a_handlers_extra_fields_are_scrubbed_too(log):
    logger, buffer, _texts = log
    handler = logger.handlers[0]
    handler.setFormatter(logging.Formatter("%(request)s %(message)s"))
    logger.info("", extra={"request": f"GET /webhooks/rest/outbox?sender={PHONE}"})
    assert buffer.getvalue().strip() == "GET /webhooks/rest/outbox?sender=***0123"


@pytest.fixture
def installed() -> Iterator[io.StringIO]:
    """install_log_scrubbing on this process, with a handler of the test's own on the root logger;
    undone afterwards."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    root = logging.getLogger()
    root.addHandler(handler)
    install_log_scrubbing()
    install_log_scrubbing()  # a second call adds nothing
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        logging.captureWarnings(False)
        for logger in [root, *logging.Logger.manager.loggerDict.values()]:
            for other in getattr(logger, "handlers", []):
                other.removeFilter(logs._filter)


def test_install_filters_every_handler_and_routes_warnings_through_it(installed):
    root = logging.getLogger()
    assert all(handler.filters.count(logs._filter) == 1 for handler in root.handlers)
    own = logging.getLogger("tests.logs.own-handler")
    own_buffer = io.StringIO()
    own_handler = logging.StreamHandler(own_buffer)
    own.addHandler(own_handler)
    own.propagate = False
    try:
        install_log_scrubbing()
        own.warning("from %s", PHONE)
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn(f"a warning naming {PHONE}", UserWarning, stacklevel=1)
    finally:
        own.removeHandler(own_handler)
        own_handler.removeFilter(logs._filter)
    assert own_buffer.getvalue().strip() == "from ***0123"
    assert "a warning naming ***0123" in installed.getvalue()
    assert "2155550123" not in installed.getvalue()
