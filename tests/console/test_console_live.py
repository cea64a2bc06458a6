"""The console's live feed over its websocket, with a caller on the real socket.io channel:
the queue, the caller's turns and typing arrive live, and the advocate's words reach the caller."""

from __future__ import annotations

import queue

import pytest
import socketio

from tests.console.client import Console, LiveFeed, signed_in


class Caller:
    """A widget caller: Rasa's socket.io channel with a persistent session."""

    def __init__(self, rasa_url: str) -> None:
        self.received: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for event in ("session_confirm", "bot_uttered"):
            self.client.on(event, lambda data, event=event: self.received.put((event, data)))
        self.client.connect(rasa_url, transports=["polling"], socketio_path="/socket.io")
        self.client.emit("session_request", {"session_id": None})
        self.session_id = self.next("session_confirm")

    def next(self, wanted: str, check=lambda data: True, timeout: float = 90.0):
        while True:
            event, data = self.received.get(timeout=timeout)
            if event == wanted and check(data):
                return data

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"session_id": self.session_id, "message": text})

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def caller(assistant):
    widget_caller = Caller(assistant.api_url)
    yield widget_caller
    widget_caller.close()


def test_the_live_feed_refuses_anonymous_and_foreign_pages(assistant):
    anonymous = LiveFeed(Console(assistant.console_url))
    anonymous.opened.wait(30)
    assert "401" in str(anonymous.failure)
    foreign = LiveFeed(signed_in(assistant), origin="https://evil.example")
    foreign.opened.wait(30)
    assert "403" in str(foreign.failure)


def test_a_widget_caller_and_an_advocate_talk_live(assistant, caller):
    console = signed_in(assistant, name="Sam")
    feed = LiveFeed(console)
    assert feed.opened.wait(30) and feed.failure is None
    feed.next(lambda m: m["type"] == "queue")

    caller.say("can I talk to a real person")
    waiting = caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("type") == "handoff")
    assert waiting["custom"]["state"] == "waiting"
    queued = feed.next(
        lambda m: m["type"] == "queue" and caller.session_id in [h["conversation_id"] for h in m["handoffs"]]
    )
    [entry] = [h for h in queued["handoffs"] if h["conversation_id"] == caller.session_id]
    assert entry["channel"] == "web"  # by the conversation id: web, sms or rest

    caller.client.emit("user_typing", {"session_id": caller.session_id})
    typing = feed.next(lambda m: m["type"] == "typing")
    assert typing["conversation_id"] == caller.session_id and typing["handoff_id"] == entry["id"]

    caller.say("my landlord is evicting me <b>tomorrow</b>")
    # Earlier turns may still be on their way (the broker is polled), so wait for this one by its words.
    said = feed.next(lambda m: m["type"] == "turn" and "landlord" in m["turn"]["text"])
    assert said["turn"] == {
        **said["turn"],
        "who": "caller",
        "text": "my landlord is evicting me <b>tomorrow</b>",
    }
    assert said["conversation_id"] == caller.session_id

    assert console.post(f"/api/handoffs/{entry['id']}/claim").status_code == 200
    joined = caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("state") == "with_advocate")
    assert joined["custom"]["advocate"] == "Sam"
    assert console.post(
        f"/api/handoffs/{entry['id']}/messages", {"text": "I'm here. Let's look at this together."}
    ).ok
    spoken = caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("type") == "advocate_message")
    assert (
        spoken["text"] == "I'm here. Let's look at this together." and spoken["custom"]["advocate"] == "Sam"
    )
    echoed = feed.next(
        lambda m: m["type"] == "turn" and m["turn"]["who"] == "advocate" and "together" in m["turn"]["text"]
    )
    assert echoed["turn"]["advocate"] == "Sam"

    assert console.post(f"/api/handoffs/{entry['id']}/hand-back").ok
    back = caller.next("bot_uttered", lambda d: "back with the assistant" in (d.get("text") or ""))
    assert back["custom"]["state"] == "returned_to_bot"
    caller.say("what can you do")
    assert caller.next("bot_uttered", lambda d: bool(d.get("text")))


def test_a_crisis_from_a_waiting_widget_caller_alerts_the_console(assistant, caller):
    console = signed_in(assistant)
    feed = LiveFeed(console)
    assert feed.opened.wait(30) and feed.failure is None
    caller.say("talk to a person")
    caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("type") == "handoff")
    caller.say("I want to end my life tonight")
    crisis = caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("crisis") is True)
    assert "988" in crisis["text"]
    alert = feed.next(lambda m: m["type"] == "alert" and m["conversation_id"] == caller.session_id)
    assert alert["kind"] == "crisis"


def test_quick_exit_while_waiting_ends_the_wait_and_an_advocate_holding_it_is_told(assistant):
    console = signed_in(assistant)
    feed = LiveFeed(console)
    assert feed.opened.wait(30) and feed.failure is None
    waiting, held = Caller(assistant.api_url), Caller(assistant.api_url)
    try:
        for caller in (waiting, held):
            caller.say("talk to a person")
            caller.next("bot_uttered", lambda d: (d.get("custom") or {}).get("type") == "handoff")
        held_entry = console.queued(held.session_id)
        assert console.post(f"/api/handoffs/{held_entry['id']}/claim").ok
        waiting_entry = console.queued(waiting.session_id)

        for caller in (waiting, held):
            caller.client.emit("user_left", {"session_id": caller.session_id})
        left = {}
        while len(left) < 2:  # in either order
            message = feed.next(lambda m: m["type"] == "turn" and m["turn"].get("left"))
            left[message["conversation_id"]] = message["handoff_id"]
        assert left == {held.session_id: held_entry["id"], waiting.session_id: waiting_entry["id"]}

        closed = console.get("/api/history", disposition="abandoned").json()["handoffs"]
        assert waiting_entry["id"] in [h["id"] for h in closed]
        assert any(e["event"] == "resume" for e in assistant.tracker(waiting.session_id)["events"])
        still_held = console.get(f"/api/handoffs/{held_entry['id']}").json()
        assert still_held["handoff"]["state"] == "with_advocate"
        assert "quick exit" in still_held["notes"][-1]["text"]
    finally:
        waiting.close()
        held.close()
