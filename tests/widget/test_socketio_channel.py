"""Wayfinder's socket.io channel: what it emits and what its history holds, then over the real server."""

from __future__ import annotations

import asyncio
import queue

import pytest
import socketio
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.rest import LONG_NOTE, MAX_MESSAGE_CHARS
from bot.channels.socketio import (
    HISTORY_EVENT,
    TOKEN_EVENT,
    WayfinderSocketIOOutput,
    bot_message,
    history,
    parse_metadata,
    valid_session_id,
)
from tests.polling import eventually

REFERRALS = {"type": "referrals", "services": [{"name": "Cedar Park", "phone": "215-555-0113"}]}
BUTTONS = [{"title": "Details on 1", "payload": '/choose_option{"option": "1"}'}]


class RecordingServer:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, object, dict]] = []

    async def emit(self, event: str, data: object = None, **kwargs: object) -> None:
        self.emitted.append((event, data, kwargs))


def test_a_bot_message_is_one_event_with_its_text_buttons_and_payload():
    server = RecordingServer()
    output = WayfinderSocketIOOutput(server, "bot_uttered")
    message = {
        "text": "Here are 3 options.\n\nPick one.",
        "buttons": BUTTONS,
        "custom": REFERRALS,
        "timestamp": 1.5,
    }
    asyncio.run(output.send_response("session-1", dict(message)))
    [(event, data, kwargs)] = server.emitted
    assert event == "bot_uttered" and kwargs == {"room": "session-1"}
    assert data == {
        "text": "Here are 3 options.\n\nPick one.",
        "quick_replies": [{"content_type": "text", **BUTTONS[0]}],
        "custom": REFERRALS,
        "timestamp": 1.5,
    }


def test_a_custom_payload_alone_is_sent_under_custom():
    # Rasa's own send_custom_json passes the payload as sio.emit's keyword arguments.
    server = RecordingServer()
    asyncio.run(WayfinderSocketIOOutput(server, "bot_uttered").send_custom_json("session-1", REFERRALS))
    assert server.emitted == [("bot_uttered", {"custom": REFERRALS}, {"room": "session-1"})]


def test_history_holds_what_the_caller_saw_in_order():
    events = [
        ActionExecuted("action_session_start"),
        UserUttered("/greet", metadata={"hidden": True}),
        BotUttered("Hi, I'm Wayfinder.", {"buttons": BUTTONS}),
        UserUttered('/choose_option{"option": "1"}', metadata={"display": "Details on 1"}),
        SlotSet("need", "counseling"),
        BotUttered("Here they are.", {"custom": REFERRALS}),
        UserUttered("<b>typed</b>"),
        BotUttered(None, {"custom": {"type": "handoff", "state": "with_advocate", "advocate": "Sam"}}),
        BotUttered("", {}),
    ]
    shown = history(events)
    assert [(m["sender"], m.get("text"), m.get("custom", {}).get("type")) for m in shown] == [
        ("bot", "Hi, I'm Wayfinder.", None),
        ("user", "Details on 1", None),
        ("bot", "Here they are.", "referrals"),
        ("user", "<b>typed</b>", None),
        ("bot", None, "handoff"),
    ]
    assert shown[0]["quick_replies"][0]["title"] == "Details on 1"


def test_history_never_shows_an_intent_triggered_from_outside_as_the_callers_words():
    # What /trigger_intent leaves in the tracker when an advocate hands the conversation back.
    handed_back = UserUttered(
        "EXTERNAL: EXTERNAL_handed_back", intent={"name": "EXTERNAL_handed_back", "confidence": 1.0}
    )
    events = [
        UserUttered("can I talk to a person"),
        BotUttered("Connecting you to an advocate."),
        handed_back,
        BotUttered("You're back with the Wayfinder assistant."),
        UserUttered("EXTERNAL: EXTERNAL_crisis_check_unanswered"),
        UserUttered("other words", intent={"name": "EXTERNAL_crisis_check_unanswered"}),
        UserUttered("I need food"),
    ]
    assert [(m["sender"], m["text"]) for m in history(events)] == [
        ("user", "can I talk to a person"),
        ("bot", "Connecting you to an advocate."),
        ("bot", "You're back with the Wayfinder assistant."),
        ("user", "I need food"),
    ]


def test_empty_bot_messages_are_not_sent():
    assert bot_message({"text": "  ", "buttons": [], "custom": None}) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("web:" + "0f3c9a7b2e" * 3 + "ab", True),
        ("web:" + "A" * 32, False),
        ("0f3c9a7b2e", False),
        ("a" * 128, False),
        ("short", False),
        ("../../etc", False),
        (None, False),
        (42, False),
    ],
)
def test_session_ids_are_what_a_generated_id_looks_like(value, valid):
    assert (valid_session_id(value) is not None) is valid


def test_only_the_metadata_wayfinder_reads_is_kept():
    assert parse_metadata('{"display": "Yes", "hidden": true, "huge": "x"}') == {
        "display": "Yes",
        "hidden": True,
    }
    assert parse_metadata("not json") == {}
    assert parse_metadata(["list"]) == {}


@pytest.fixture
def socket_client(assistant):
    """A socket.io client (long-polling: no websocket package needed) on the real server."""
    received: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    for event in ("session_confirm", "bot_uttered", HISTORY_EVENT, TOKEN_EVENT):
        client.on(event, lambda data, event=event: received.put((event, data)))
    client.connect(assistant.api_url, transports=["polling"], socketio_path="/socket.io")
    client.received = received
    try:
        yield client
    finally:
        client.disconnect()


def next_event(client, wanted: str) -> object:
    while True:
        event, data = client.received.get(timeout=90)
        if event == wanted:
            return data


def test_over_the_real_server_a_long_message_is_read_in_part_and_history_follows_a_session(
    socket_client, assistant
):
    socket_client.emit("session_request", {"session_id": None})
    resume_token = next_event(socket_client, TOKEN_EVENT)
    session_id = next_event(socket_client, "session_confirm")
    assert valid_session_id(session_id)
    socket_client.emit("user_uttered", {"session_id": session_id, "message": "   "})  # ignored
    socket_client.emit("user_uttered", {"session_id": session_id, "message": "food " * MAX_MESSAGE_CHARS})
    assert next_event(socket_client, "bot_uttered") == {"text": LONG_NOTE}
    reply = next_event(socket_client, "bot_uttered")
    assert reply.get("text")
    # Rasa sends the reply before it saves the tracker the history is read from.
    assert eventually(
        lambda: any(e.get("text") == reply["text"] for e in assistant.tracker(session_id)["events"])
    )

    socket_client.emit("session_request", {"session_id": session_id, "resume_token": resume_token})
    assert next_event(socket_client, "session_confirm") == session_id
    past = next_event(socket_client, HISTORY_EVENT)
    assert past["session_id"] == session_id
    [said] = [m for m in past["messages"] if m["sender"] == "user"]
    assert said["text"] == ("food " * MAX_MESSAGE_CHARS).strip()  # the whole of it, as the caller wrote it
    assert past["messages"][1]["text"] == reply["text"]


def test_over_the_real_server_silence_after_the_direct_question_is_met_as_imminent(socket_client, assistant):
    socket_client.emit("session_request", {"session_id": None})
    session_id = next_event(socket_client, "session_confirm")
    socket_client.emit(
        "user_uttered", {"session_id": session_id, "message": "i just want it all to stop for good"}
    )
    first = next_event(socket_client, "bot_uttered")
    assert first["custom"]["crisis"] is True and first["custom"]["level"] == "possible"
    assert "killing yourself" in next_event(socket_client, "bot_uttered")["text"]
    # The caller says nothing more; the reminder (20 s in tests, 3 minutes in service) answers as imminent.
    followup = next_event(socket_client, "bot_uttered")
    assert followup["custom"]["crisis"] is True and followup["custom"]["level"] == "imminent"
    assert "911" in followup["text"]
    assert eventually(lambda: assistant.tracker(session_id)["slots"]["crisis_level"] == "imminent")
