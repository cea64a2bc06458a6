"""The action server killed and restarted under load (security issue 10).

A stack of its own (real Rasa server, action server and console over a scratch var/),
kept by a ``bot.run.Supervisor`` in a background thread, as ``python -m bot.run`` keeps
it. Fifty REST conversations run at once; once the first turns are answered, the action
server gets SIGKILL, and the Supervisor starts it again while the conversations go on:

- before the kill, each conversation says two things;
- from the kill on, two more, and then a message now and then until the new action
  server answers its /health (the load goes on through the restart);
- once it answers, four more.

Some conversations say something that is a crisis, before, during or after the outage.
Then: every message got a 200 with a text reply; every crisis message got the crisis
answer, with 988; the tracker store and the event broker hold every user message of
every conversation, in the order sent; and once the action server is back, the
conversations are answered by the assistant again, not with the apology for a failed
turn.

The load runs once for the module (a fixture); each test checks one of these.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from bot import run
from bot.channels.safety import NO_REPLY
from bot.channels.stores import BROKER_TABLE
from tests.assistant import TEST_REST_KEY, Assistant, customs, rest_conversation_id, start_stack, texts
from tests.faults.conftest import Stack
from tests.polling import answers, eventually

CONVERSATIONS = 50
# The action server is killed once this many replies have come back: every conversation is under way.
KILL_AFTER_REPLIES = CONVERSATIONS
# While the action server is down, each conversation keeps talking, up to this many more messages.
MAX_MESSAGES_WHILE_DOWN = 40
BACK_WITHIN_SECONDS = 180  # a bound on waiting, not an assertion: a stuck restart fails the test

CRISES = (
    "I have the pills in my hand and I'm going to take them all tonight",
    "i have the pills counted out and im going to take them all tonight",
    "i want to kill myself tonight",
)
CRISIS_LINE = "Suicide & Crisis Lifeline"  # in the crisis answer, not in the apology
BEFORE = (("hi", "I need a therapist near 19143"), ("hello", "I need a therapist near 19143"))
# Nothing under way when the crisis comes during the outage: with its response lost, the policies
# predict the fallback action (a custom action too) until Rasa's circuit breaker stops the turn.
GREETINGS_ONLY = ("hi", "hello")
DURING = (("medicaid", "34"), ("medicaid", "more options"))
WHILE_DOWN = ("hi", "more options", "34", "what can you do")
AFTER = (
    ("more options", "I need a therapist near 19143", "medicaid", "34"),
    ("hi", "I need a therapist near 19143", "medicaid", "34"),
)


@dataclass
class Turn:
    text: str
    crisis: bool
    # When it was sent: "before" the kill, "down" (killed, not yet answering again), "after".
    phase: str
    status: int | None = None
    messages: list[dict] = field(default_factory=list)
    error: str = ""

    @property
    def reply(self) -> str:
        return texts(self.messages)

    @property
    def apology(self) -> bool:
        return bool(self.messages) and all(message.get("text") == NO_REPLY for message in self.messages)

    @property
    def crisis_answer(self) -> bool:
        """The crisis answer (the action server's or the channel's own), not an apology naming 988."""
        flagged = any(custom.get("crisis") is True for custom in customs(self.messages))
        return flagged and CRISIS_LINE in self.reply and "988" in self.reply

    def describe(self) -> str:
        return f"{self.text!r} ({self.phase}): {self.status} {self.error or self.reply[:120]!r}"


@dataclass
class Conversation:
    sender: str
    turns: list[Turn] = field(default_factory=list)

    def sent(self) -> list[str]:
        return [turn.text for turn in self.turns]


@dataclass
class Load:
    stack: Stack
    conversations: list[Conversation]
    killed_pid: int
    killed_code: int | None
    restarted_pid: int | None
    back: bool

    def turns(self) -> list[Turn]:
        return [turn for conversation in self.conversations for turn in conversation.turns]


def post(assistant: Assistant, sender: str, text: str) -> tuple[int | None, list[dict], str]:
    request = urllib.request.Request(
        assistant.rest_url,
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TEST_REST_KEY}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            body = json.loads(reply.read())
            return reply.status, body if isinstance(body, list) else [], ""
    except urllib.error.HTTPError as error:
        body = json.loads(error.read() or b"null")
        return error.code, body if isinstance(body, list) else [], ""
    except OSError as error:  # no answer at all: refused, reset, timed out
        return None, [], f"{type(error).__name__}: {error}"


def crisis_for(index: int) -> tuple[str | None, str | None]:
    """For one conversation in five, a crisis message and the phase it is said in (first thing
    in that phase): during the outage in half of them (0, 20 and 40 having only greeted before),
    before or after it in the others."""
    if index % 5:
        return None, None
    k = index // 5
    return CRISES[k % len(CRISES)], ("down", "before", "down", "after")[k % 4]


class Driver:
    """Runs the conversations and the kill: the Supervisor does the restarting."""

    def __init__(self, stack: Stack, processes: dict[str, run.Child]) -> None:
        self.stack = stack
        self.processes = processes
        self.replies = 0
        self.count_lock = threading.Lock()
        self.enough_replies = threading.Event()
        self.killed = threading.Event()
        self.back = threading.Event()

    def say(self, conversation: Conversation, text: str, crisis: bool = False) -> None:
        phase = "after" if self.back.is_set() else "down" if self.killed.is_set() else "before"
        turn = Turn(text, crisis, phase)
        conversation.turns.append(turn)
        turn.status, turn.messages, turn.error = post(self.stack.assistant, conversation.sender, text)
        with self.count_lock:
            self.replies += 1
            if self.replies >= KILL_AFTER_REPLIES:
                self.enough_replies.set()

    def converse(self, index: int) -> Conversation:
        conversation = Conversation(f"restart-{index:02d}-{uuid.uuid4().hex[:8]}")
        crisis, crisis_phase = crisis_for(index)

        def crisis_in(phase: str) -> None:
            if crisis_phase == phase:
                self.say(conversation, crisis, crisis=True)

        crisis_in("before")
        for text in GREETINGS_ONLY if index % 20 == 0 else BEFORE[index % len(BEFORE)]:
            self.say(conversation, text)
        self.killed.wait()
        crisis_in("down")
        for text in DURING[index % len(DURING)]:
            self.say(conversation, text)
        extra = 0
        while not self.back.wait(timeout=0.5) and extra < MAX_MESSAGES_WHILE_DOWN:
            self.say(conversation, WHILE_DOWN[(index + extra) % len(WHILE_DOWN)])
            extra += 1
        self.back.wait()
        crisis_in("after")
        for text in AFTER[index % len(AFTER)]:
            self.say(conversation, text)
        return conversation

    def kill_and_wait_for_restart(self) -> tuple[run.Child, run.Child | None]:
        """SIGKILL the action server once the conversations are under way; the new one (the
        Supervisor puts it in ``processes``) once its /health answers, or None."""
        try:
            self.enough_replies.wait()
            killed = self.processes["actions"]
            os.kill(killed.pid, signal.SIGKILL)
            self.killed.set()
            killed.wait(timeout=30)
            deadline = time.monotonic() + BACK_WITHIN_SECONDS
            while time.monotonic() < deadline:
                current = self.processes["actions"]
                if current is not killed and answers(current.spec.health_url):
                    return killed, current
                time.sleep(0.2)
            return killed, None
        finally:
            self.killed.set()
            self.back.set()  # never leave a conversation waiting, whatever happened

    def run(self) -> Load:
        with ThreadPoolExecutor(CONVERSATIONS + 1) as pool:
            killing = pool.submit(self.kill_and_wait_for_restart)
            conversations = [pool.submit(self.converse, index) for index in range(CONVERSATIONS)]
            killed, restarted = killing.result()
            done = [conversation.result() for conversation in conversations]
        return Load(
            stack=self.stack,
            conversations=done,
            killed_pid=killed.pid,
            killed_code=killed.returncode,
            restarted_pid=restarted.pid if restarted is not None else None,
            back=restarted is not None,
        )


def summary(load: Load) -> str:
    turns = load.turns()
    crises = [turn for turn in turns if turn.crisis]
    by_phase = {phase: sum(turn.phase == phase for turn in turns) for phase in ("before", "down", "after")}
    apologies = {
        phase: sum(turn.apology for turn in turns if turn.phase == phase)
        for phase in ("before", "down", "after")
    }
    return (
        f"{len(load.conversations)} conversations, {len(turns)} messages {by_phase}; "
        f"{sum(turn.status == 200 and bool(turn.reply) for turn in turns)} answered 200 with text; "
        f"apologies {apologies}; crisis messages {len(crises)}, "
        f"{sum(turn.crisis_answer for turn in crises)} answered with the crisis lines and 988"
    )


@pytest.fixture(scope="module")
def load(tmp_path_factory, assistant_environment) -> Iterator[Load]:
    var_dir = tmp_path_factory.mktemp("restart-var")
    log_dir = tmp_path_factory.mktemp("restart-logs")
    assistant, _ports, processes = start_stack(var_dir, assistant_environment, log_dir=log_dir)
    stack = Stack(assistant, log_dir)
    supervisor = run.Supervisor(processes)
    keeper = threading.Thread(target=supervisor.run, kwargs={"interval": 0.2}, daemon=True)
    keeper.start()
    try:
        result = Driver(stack, processes).run()
        print("\n" + summary(result))
        yield result
    finally:
        supervisor.request_stop()
        keeper.join(timeout=30)
        run.stop(processes)


def test_the_action_server_was_killed_and_the_supervisor_started_it_again(load):
    assert load.killed_code == -signal.SIGKILL
    assert load.back, f"the action server did not answer again; {summary(load)}"
    assert load.restarted_pid != load.killed_pid
    # The load went on through the outage and after it.
    phases = {turn.phase for turn in load.turns()}
    assert phases == {"before", "down", "after"}, summary(load)


def test_every_message_gets_a_text_reply(load):
    unanswered = [
        f"{conversation.sender}: {turn.describe()}"
        for conversation in load.conversations
        for turn in conversation.turns
        if turn.status != 200 or not turn.reply
    ]
    assert not unanswered, f"{len(unanswered)} messages without a text reply; {summary(load)}:\n" + "\n".join(
        unanswered[:20]
    )


def test_every_crisis_message_gets_the_crisis_lines_with_988(load):
    crises = [
        (conversation.sender, turn)
        for conversation in load.conversations
        for turn in conversation.turns
        if turn.crisis
    ]
    assert len(crises) == CONVERSATIONS // 5
    assert {turn.phase for _, turn in crises} == {"before", "down", "after"}
    missed = [f"{sender}: {turn.describe()}" for sender, turn in crises if not turn.crisis_answer]
    assert not missed, "\n".join(missed)


def stored_user_texts(path, table: str, sender_id: str) -> list[str]:
    """The user messages of one conversation in a tracker-store or broker table, in the order stored."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = connection.execute(f"SELECT data FROM {table} WHERE sender_id = ? ORDER BY id", (sender_id,))
        events = [json.loads(data) for (data,) in rows]
    finally:
        connection.close()
    return [event.get("text") for event in events if event.get("event") == "user"]


def test_the_tracker_store_holds_every_message_in_order(load):
    for conversation in load.conversations:
        sender_id = rest_conversation_id(conversation.sender)
        assert stored_user_texts(load.stack.tracker_file, "events", sender_id) == conversation.sent(), (
            sender_id
        )
        # And the Rasa HTTP API, which the console reads, shows the same conversation.
        tracker = load.stack.assistant.tracker(conversation.sender)
        shown = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
        assert shown == conversation.sent(), sender_id


def test_the_event_broker_holds_every_message_in_order(load):
    broker_file = load.stack.assistant.var_dir / "events.sqlite3"

    def every_turn_published() -> bool:
        texts_published = [
            stored_user_texts(broker_file, BROKER_TABLE, rest_conversation_id(c.sender))
            for c in load.conversations
        ]
        return sum(map(len, texts_published)) >= len(load.turns())

    # The broker is written off the turn (bot/channels/publisher.py): the last turns' events may
    # still be on their way; none may be missing or doubled once they are there.
    eventually(every_turn_published, timeout=30)
    counts = {}
    for conversation in load.conversations:
        sender_id = rest_conversation_id(conversation.sender)
        published = stored_user_texts(broker_file, BROKER_TABLE, sender_id)
        counts[sender_id] = len(published)
        assert published == conversation.sent(), sender_id
    assert sum(counts.values()) == len(load.turns())


def test_conversations_are_answered_again_once_the_action_server_is_back(load):
    """A restart is a recovery: a message sent once the new action server answers gets the
    assistant's answer, not "something went wrong", in every conversation, including those
    that were in the middle of a turn or a crisis when it was killed.

    A turn whose actions fail can end without ``action_listen``: Rasa logs a failed custom
    action as run, and when the policies then predict the fallback action (custom too) until
    the circuit breaker stops the turn, nothing logs the listen. Rasa counts the actions since
    the last ``action_listen`` before each prediction, so every later turn of such a
    conversation trips the breaker at once and gets the apology, until the session expires."""
    stuck = [
        f"{conversation.sender}: {turn.describe()}"
        for conversation in load.conversations
        for turn in conversation.turns
        if turn.phase == "after" and turn.apology
    ]
    assert not stuck, (
        f"{len(stuck)} messages apologised for after the restart; {summary(load)}:\n" + "\n".join(stuck[:20])
    )
