"""What a real stack writes to its log files: no caller's words, no phone number.

Messages that make Rasa and SQLAlchemy echo what they were given: a message starting
with "/" that names no intent (Rasa warns, quoting it), and messages while the tracker
database is locked, over REST and SMS (the SMS channel logs the error's trace, whose
SQLAlchemy error would list the statement's values: the conversation id and the event,
with the caller's words).
"""

from __future__ import annotations

import json
import uuid

from tests.channels.conftest import Texter
from tests.locks import writes_blocked
from tests.polling import eventually


def secret_words() -> str:
    return "private" + "".join(chr(ord("a") + int(digit)) for digit in str(uuid.uuid4().int)[:10])


def test_log_files_hold_neither_callers_words_nor_phone_numbers(stack, fake_twilio):
    assistant = stack.assistant
    rest_phone = f"+1215{uuid.uuid4().int % 10**7:07d}"
    texter = Texter(assistant, fake_twilio, f"+1267{uuid.uuid4().int % 10**7:07d}")
    said = [secret_words() for _ in range(3)]

    status, _ = assistant.post(
        json.dumps({"sender": rest_phone, "message": f"/some words {rest_phone} {said[0]}"}).encode()
    )
    assert status == 200
    texter.text("hi")
    with writes_blocked(stack.tracker_file):
        status, _ = assistant.post(
            json.dumps({"sender": rest_phone, "message": f"my number is {rest_phone}, {said[1]}"}).encode()
        )
        assert status in (500, 503)
        texter.text(f"call me back {said[2]}")

    # What the scrubbing leaves of each, once written (the servers write their logs as they go).
    assert eventually(
        lambda: (
            "Failed to parse arguments in line [a caller's message starting with '/'" in stack.logs()
            and "[SQL: INSERT INTO events" in stack.logs()
        )
    ), stack.logs()[-5000:]
    logs = stack.logs()
    for phone in (rest_phone, texter.phone):
        assert phone[2:] not in logs, f"a phone number ending {phone[-4:]} is in the logs"
    for words in said:
        assert words not in logs, "a caller's words are in the logs"
