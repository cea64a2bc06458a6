"""A crisis answer depends on nothing that can fail: the action server stopped, then slow.

A stack of its own: the real Rasa server, console and databases, with the action
server stopped after start. The 988/911 lines must still reach the caller on
every channel (REST, socket.io, SMS) from the Rasa server itself, the urgent
handoff must still be queued, and the answer must be in the transcript. Then a
fake action server that never answers stands on the action server's port:
the caller still gets the lines, once.
"""

from __future__ import annotations

import queue
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest
import socketio

from bot import run
from bot.channels.safety import NO_REPLY
from bot.identity import sms_conversation
from tests.assistant import Assistant, customs, rest_conversation_id, start_stack, texts
from tests.channels.conftest import Texter
from tests.polling import eventually


def crisis_of(messages: list[dict]) -> list[dict]:
    return [custom for custom in customs(messages) if custom.get("crisis") is True]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, assistant_environment) -> Iterator[tuple[Assistant, dict]]:
    var_dir = tmp_path_factory.mktemp("no-actions-var")
    assistant, ports, processes = start_stack(var_dir, assistant_environment)
    actions = processes.pop("actions")
    actions.terminate()
    actions.wait(timeout=30)
    try:
        yield assistant, {"actions_port": ports.actions}
    finally:
        run.stop(processes)


@pytest.fixture
def down(stack) -> Assistant:
    return stack[0]


def queued_urgent(assistant: Assistant, sender: str) -> bool:
    rows = assistant.query(
        "SELECT priority FROM wf_handoff WHERE conversation_id = :c", c=rest_conversation_id(sender)
    )
    return rows == [("urgent",)]


def test_rest_a_crisis_gets_the_lines_the_queue_and_the_transcript_with_no_action_server(down):
    sender = f"down-{uuid.uuid4().hex[:8]}"
    messages = down.say(sender, "i have the pills counted out and im going to take them all tonight")
    [payload] = crisis_of(messages)
    assert payload["level"] == "imminent"
    said = texts(messages)
    assert "988" in said and "911" in said
    assert eventually(lambda: queued_urgent(down, sender))
    assert eventually(
        lambda: any(
            (event.get("data") or {}).get("custom", {}).get("crisis")
            for event in down.tracker(sender)["events"]
            if event["event"] == "bot"
        )
    )


def test_rest_a_possible_risk_is_answered_in_full_when_no_question_can_follow(down):
    messages = down.say(f"down-{uuid.uuid4().hex[:8]}", "i just want it all to stop for good")
    [payload] = crisis_of(messages)
    assert payload["level"] == "imminent"  # degraded: nothing could take the answer to a question


def test_rest_a_spanish_crisis_is_answered_in_spanish_with_no_action_server(down):
    messages = down.say(f"down-{uuid.uuid4().hex[:8]}", "me quiero matar esta noche")
    [payload] = crisis_of(messages)
    assert payload["language"] == "es"
    assert "AYUDA" in texts(messages) and "911" in texts(messages)


def test_rest_an_ordinary_message_is_never_met_with_silence(down):
    # Every answer to this needs the action server; without the channel's check the reply is [].
    messages = down.say(f"down-{uuid.uuid4().hex[:8]}", "hi, i need a food pantry near 19143")
    assert not crisis_of(messages)
    assert NO_REPLY in texts(messages)


def test_socketio_a_crisis_gets_the_lines_with_no_action_server(down):
    received: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: received.put(data))
    client.on("session_confirm", lambda data: received.put({"session": data}))
    client.connect(down.api_url, transports=["polling"], socketio_path="/socket.io")
    try:
        client.emit("session_request", {"session_id": None})
        session_id = received.get(timeout=30)["session"]
        client.emit("user_uttered", {"session_id": session_id, "message": "the gun is loaded and in my lap"})
        reply = received.get(timeout=60)
        assert reply["custom"]["crisis"] is True and "988" in reply["text"]
    finally:
        client.disconnect()
    assert eventually(lambda: queued_urgent(down, session_id))


def test_sms_a_crisis_gets_the_lines_with_no_action_server(down, fake_twilio):
    texter = Texter(down, fake_twilio, f"+1267{uuid.uuid4().int % 10**7:07d}")
    texter.text("i want to kill myself")
    [reply] = texter.wait_for("988")
    assert "911" in reply
    assert eventually(lambda: queued_urgent(down, sms_conversation(texter.phone)))


class SilentActionServer:
    """An action server that accepts connections and never answers (hung, or overloaded)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.sock.close()
        for connection in self.held:
            connection.close()


def test_rest_a_slow_action_server_cannot_hold_back_the_crisis_lines(stack):
    assistant, ports = stack
    silent = SilentActionServer(ports["actions_port"])
    try:
        sender = f"slow-{uuid.uuid4().hex[:8]}"
        messages = assistant.say(sender, "i'm standing on the bridge and i'm going to jump")
        assert len(crisis_of(messages)) == 1
        assert "911" in texts(messages)
        assert eventually(lambda: queued_urgent(assistant, sender))
    finally:
        silent.close()
