"""A locked tracker database, through the real Rasa server.

A lock shorter than the busy timeout is waited out; a longer one fails the turn
with an error the client sees (it must try again), never with an answer made
from an empty conversation; once the lock is gone, the conversation goes on
where it was. A caller in crisis gets the lines whatever the database does.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.safety import NO_REPLY
from tests.assistant import customs, texts
from tests.channels.conftest import Texter
from tests.locks import everything_blocked, writes_blocked
from tests.polling import eventually

FIRST = "I need a therapist who takes Medicaid near 19143"  # then the assistant asks the age
CRISIS_LINE = "Suicide & Crisis Lifeline"  # in the crisis answer, not in the apology


def new_sender() -> str:
    return f"locked-{uuid.uuid4().hex[:10]}"


def post(assistant, sender: str, text: str) -> tuple[int, list[dict]]:
    """The status and the messages of an answer (none when the body is an error object)."""
    status, body = assistant.post(json.dumps({"sender": sender, "message": text}).encode())
    return status, body if isinstance(body, list) else []


def user_texts(assistant, sender: str) -> list[str]:
    return [event.get("text") for event in assistant.tracker(sender)["events"] if event["event"] == "user"]


def queued_urgent(assistant, ending: str) -> bool:
    """An urgent handoff for the conversation whose id ends with ``ending`` (a sender or phone)."""
    rows = assistant.query("SELECT priority FROM wf_handoff WHERE conversation_id LIKE :c", c=f"%{ending}")
    return ("urgent",) in rows


def test_a_lock_shorter_than_the_busy_timeout_is_waited_out(stack):
    assistant, sender = stack.assistant, new_sender()
    assert "How old" in texts(assistant.say(sender, FIRST))

    with ThreadPoolExecutor(1) as pool:
        with writes_blocked(stack.tracker_file):
            answer = pool.submit(post, assistant, sender, "34")
            # Released well inside the server's busy timeout (5 s); REST answers only once the
            # turn is stored, so until then there is no answer.
            time.sleep(1.5)
            assert not answer.done()
        status, messages = answer.result()

    assert status == 200
    cards = customs(messages, "referrals")
    assert cards and cards[0]["services"]  # built from the conversation: need, payment and place
    assert user_texts(assistant, sender)[-2:] == [FIRST, "34"]
    assert assistant.tracker(sender)["slots"]["age"] == "34"


LOCKS: dict[str, Callable] = {
    "writes blocked": writes_blocked,
    "reads and writes blocked": everything_blocked,
}


@pytest.mark.parametrize("lock", LOCKS.values(), ids=LOCKS.keys())
def test_a_lock_outlasting_every_retry_fails_the_turn_and_the_conversation_goes_on(stack, lock):
    assistant, sender = stack.assistant, new_sender()
    assert "How old" in texts(assistant.say(sender, FIRST))

    with lock(stack.tracker_file):
        status, messages = post(assistant, sender, "34")

    # Told to try again (503 for TrackerStoreUnavailable; any other failure is a 500), with
    # nothing answered from an empty conversation: what was said before the turn failed (when
    # the conversation could be read, not stored) are referrals for the need, payment and place
    # given before, which an empty conversation would not know.
    assert status in (500, 503)
    said = [message for message in messages if "try again" not in message.get("text", "").lower()]
    assert not said or customs(said, "referrals"), said
    assert "34" not in user_texts(assistant, sender)  # not stored: the client was told to retry
    messages = assistant.say(sender, "34")
    assert customs(messages, "referrals"), texts(messages)
    tracker = assistant.tracker(sender)
    assert tracker["slots"]["location"] == "19143" and tracker["slots"]["payment"] == "medicaid"
    assert user_texts(assistant, sender)[-2:] == [FIRST, "34"]


def test_a_crisis_in_a_new_rest_conversation_gets_the_lines_while_nothing_can_be_read(stack):
    assistant, sender = stack.assistant, new_sender()

    with everything_blocked(stack.tracker_file):
        status, messages = post(assistant, sender, "i want to kill myself tonight")

    assert status == 200, messages
    crisis = [custom for custom in customs(messages) if custom.get("crisis") is True]
    assert crisis and crisis[0]["level"] == "imminent"
    assert CRISIS_LINE in texts(messages) and "911" in texts(messages)
    assert eventually(lambda: queued_urgent(assistant, sender))


def test_a_crisis_in_a_rest_conversation_gets_the_lines_while_it_cannot_be_stored(stack):
    assistant, sender = stack.assistant, new_sender()
    assert "How old" in texts(assistant.say(sender, FIRST))

    with writes_blocked(stack.tracker_file):
        status, messages = post(assistant, sender, "i want to kill myself tonight")

    # Answered by the action server, then not stored: the 503 keeps the lines already said.
    assert status == 503
    assert CRISIS_LINE in texts(messages) and "911" in texts(messages)


@pytest.mark.parametrize("lock", LOCKS.values(), ids=LOCKS.keys())
def test_a_crisis_by_sms_gets_the_lines_while_the_tracker_is_locked(stack, fake_twilio, lock):
    texter = Texter(stack.assistant, fake_twilio, f"+1267{uuid.uuid4().int % 10**7:07d}")
    texter.text("hi")
    before = len(texter.wait_for("What can I help you find"))

    with lock(stack.tracker_file):
        texter.text("i have the pills counted out and im going to take them all tonight")
        [*_, reply] = texter.wait_for(CRISIS_LINE, after=before)

    assert "911" in reply
    assert NO_REPLY not in reply
    assert eventually(lambda: queued_urgent(stack.assistant, texter.phone))
