"""A conversation belongs to its caller: through the real Rasa server, no client can write to,
read from or end another's conversation, whatever id it names (security issue 10)."""

from __future__ import annotations

import asyncio
import json
import queue

import pytest
import requests
import socketio
import sqlalchemy as sa

from bot.handoff.rasa_http import RasaClient
from bot.identity import sms_conversation
from tests.assistant import (
    OTHER_REST_KEY,
    TEST_REST_KEY,
    Assistant,
    rest_conversation_id,
    texts,
)
from tests.channels.conftest import Texter
from tests.polling import eventually

EVIL = "https://evil.example"


def rest(assistant: Assistant, body: dict | bytes, key: str | None = TEST_REST_KEY) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    return requests.post(assistant.rest_url, data=data, headers=headers, timeout=60)


def outbox(assistant: Assistant, sender: str, key: str | None = TEST_REST_KEY) -> requests.Response:
    url = assistant.rest_url.rsplit("/", 1)[0] + "/outbox"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.get(url, params={"sender": sender}, headers=headers, timeout=30)


def advocate_says(assistant: Assistant, conversation_id: str, text: str) -> None:
    """What the console does when an advocate writes: Rasa's HTTP API, to the id's own channel."""

    async def say() -> None:
        client = RasaClient(assistant.api_url, assistant.jwt_secret)
        try:
            await client.say(conversation_id, text)
        finally:
            await client.close()

    asyncio.run(say())


def broker_events(assistant: Assistant, sender_id: str, kind: str) -> list[dict]:
    engine = sa.create_engine(f"sqlite:///{assistant.var_dir / 'events.sqlite3'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT data FROM rasa_broker_events WHERE sender_id = :s"), {"s": sender_id}
            ).all()
    finally:
        engine.dispose()
    return [event for event in (json.loads(row[0]) for row in rows) if event.get("event") == kind]


# ---------- REST ----------


def test_rest_needs_an_api_key_for_messages_and_the_outbox(assistant, sender):
    body = {"sender": sender, "message": "hi"}
    assert rest(assistant, body, key=None).status_code == 401
    assert rest(assistant, body, key="not-a-key").status_code == 401
    assert outbox(assistant, sender, key=None).status_code == 401
    assert rest(assistant, body).status_code == 200


def test_a_rest_client_naming_a_texters_number_cannot_divert_their_sms(texter: Texter, assistant):
    texter.text("hi")
    texter.wait_for("What can I help you find?")
    # Anyone with a key sends "as" the texter, in both spellings of the id.
    for impostor in (texter.phone, sms_conversation(texter.phone)):
        reply = rest(assistant, {"sender": impostor, "message": "I need a therapist near 19143"})
        assert reply.status_code == 200 and reply.json()[0]["recipient_id"] == impostor
    assert "I need a therapist near 19143" not in texter.user_texts()
    # The advocate's next words still reach the texter's phone, and nothing waits in any outbox.
    advocate_says(assistant, sms_conversation(texter.phone), "Hi, this is Sam, an advocate. Case 4471.")
    texter.wait_for("Case 4471")
    assert outbox(assistant, texter.phone).json() == []
    assert outbox(assistant, sms_conversation(texter.phone)).json() == []


def test_one_integration_cannot_read_or_empty_anothers_outbox(assistant, sender):
    assistant.say(sender, "hi")
    advocate_says(assistant, rest_conversation_id(sender), "Your case number is 4471.")
    stolen = outbox(assistant, sender, key=OTHER_REST_KEY)
    assert stolen.status_code == 200 and stolen.json() == []
    [waiting] = outbox(assistant, sender).json()
    assert "case number is 4471" in waiting["text"] and waiting["recipient_id"] == sender


def test_cors_answers_only_the_configured_origins(assistant, widget_demo_port):
    def preflight(origin: str) -> str | None:
        reply = requests.options(
            assistant.rest_url,
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=30,
        )
        return reply.headers.get("Access-Control-Allow-Origin")

    assert preflight(EVIL) in (None, "")
    allowed = f"http://127.0.0.1:{widget_demo_port}"
    assert preflight(allowed) == allowed


def test_sizes_are_capped_before_anything_is_stored(assistant, sender):
    assistant.say(sender, "hi")
    before = len(assistant.tracker(sender)["events"])
    big_metadata = {"sender": sender, "message": "hello", "metadata": {"blob": "x" * 5000}}
    assert rest(assistant, big_metadata).status_code == 413
    huge = {"sender": sender, "message": "hello", "metadata": {"blob": "x" * 2_000_000}}
    assert rest(assistant, huge).status_code == 413
    assert rest(assistant, {"sender": sender, "message": "help " * 5000}).status_code == 413
    assert len(assistant.tracker(sender)["events"]) == before


def test_deeply_nested_json_is_a_clear_400(assistant):
    reply = rest(assistant, b"[" * 100_000 + b"]" * 100_000)
    assert reply.status_code == 400 and "JSON" in reply.json()["error"]
    reply = rest(
        assistant, b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001
    )
    assert reply.status_code in (400, 413) and "error" in reply.json()


def test_a_flood_is_slowed_down_but_a_crisis_always_gets_through(assistant, sender):
    statuses = [rest(assistant, {"sender": sender, "message": f"hello {n}"}).status_code for n in range(30)]
    assert statuses == [200] * 30
    slowed = rest(assistant, {"sender": sender, "message": "hello again"})
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    assert "988" in slowed.json()["error"]
    crisis = rest(
        assistant, {"sender": sender, "message": "I have the pills in my hand and I'm taking them all now"}
    )
    assert crisis.status_code == 200 and "988" in texts(crisis.json())
    # Other conversations of the same integration are not slowed down.
    assert rest(assistant, {"sender": f"{sender}-b", "message": "hi"}).status_code == 200


# ---------- socket.io ----------


class SocketCaller:
    """A socket.io client of the widget's protocol on the real server (long-polling)."""

    EVENTS = ("session_token", "session_confirm", "session_history", "bot_uttered")

    def __init__(self, assistant: Assistant, origin: str | None = None) -> None:
        self.received: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for event in self.EVENTS:
            self.client.on(event, lambda data, event=event: self.received.put((event, data)))
        headers = {"Origin": origin} if origin else {}
        self.client.connect(
            assistant.api_url, transports=["polling"], socketio_path="/socket.io", headers=headers
        )

    def next(self, wanted: str) -> object:
        while True:
            event, data = self.received.get(timeout=60)
            if event == wanted:
                return data

    def start(self, **request: object) -> tuple[str, str]:
        """A session_request; returns (conversation id, resume token)."""
        self.client.emit("session_request", request)
        token = self.next("session_token")
        return self.next("session_confirm"), token

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def callers(assistant):
    opened: list[SocketCaller] = []

    def open_caller(origin: str | None = None) -> SocketCaller:
        opened.append(SocketCaller(assistant, origin))
        return opened[-1]

    yield open_caller
    for caller in opened:
        caller.close()


def user_texts(assistant: Assistant, conversation_id: str) -> list[str]:
    return [e["text"] for e in assistant.tracker(conversation_id)["events"] if e["event"] == "user"]


def test_socketio_ids_are_issued_by_the_server_and_only_a_resume_token_gets_one_back(assistant, callers):
    alice = callers()
    alice_id, alice_token = alice.start(session_id=None)
    assert alice_id.startswith("web:") and len(alice_id) == 4 + 32
    alice.client.emit("user_uttered", {"session_id": alice_id, "message": "can I talk to a real person"})
    alice.next("bot_uttered")

    mallory = callers()
    chosen, _ = mallory.start(session_id=alice_id)  # naming the id is not enough
    assert chosen != alice_id
    forged = alice_token[:-4] + ("0000" if not alice_token.endswith("0000") else "1111")
    forged_id, _ = mallory.start(session_id=alice_id, resume_token=forged)
    assert forged_id not in (alice_id, chosen)
    # Whatever session_id its events name, Mallory speaks and leaves in her own conversation only.
    mallory.client.emit("user_uttered", {"session_id": alice_id, "message": "this is not alice"})
    mallory.next("bot_uttered")
    mallory.client.emit("user_left", {"session_id": alice_id})
    assert eventually(lambda: broker_events(assistant, forged_id, "user_left"))
    assert broker_events(assistant, alice_id, "user_left") == []
    assert "this is not alice" not in user_texts(assistant, alice_id)
    assert "this is not alice" in user_texts(assistant, forged_id)
    [(state,)] = assistant.query("SELECT state FROM wf_handoff WHERE conversation_id = :c", c=alice_id)
    assert state != "abandoned"

    # Alice's own widget comes back with its token: same conversation, with its history.
    again = callers()
    resumed, _ = again.start(resume_token=alice_token)
    assert resumed == alice_id
    history = again.next("session_history")
    assert any(
        m["text"] == "can I talk to a real person" for m in history["messages"] if m["sender"] == "user"
    )


def test_socketio_refuses_pages_from_origins_not_allowed(assistant, callers, widget_demo_port):
    with pytest.raises(socketio.exceptions.ConnectionError):
        callers(origin=EVIL)
    allowed = callers(origin=f"http://127.0.0.1:{widget_demo_port}")
    conversation_id, _ = allowed.start()
    assert conversation_id.startswith("web:")


def test_a_socketio_session_is_slowed_down_but_not_in_crisis(assistant, callers):
    caller = callers()
    conversation_id, _ = caller.start()

    def say(text: str, until: str) -> None:
        caller.client.emit("user_uttered", {"session_id": conversation_id, "message": text})
        while until not in (caller.next("bot_uttered").get("text") or ""):
            pass

    for n in range(30):
        say(f"hello {n}", until="")
    say("hello again", until="faster than I can read")
    say("the gun is loaded and I'm going to use it now", until="988")

    # Rasa answers before it saves the tracker.
    def stored() -> list[str] | None:
        said = user_texts(assistant, conversation_id)
        return said if any("gun is loaded" in text for text in said) else None

    said = eventually(stored)
    assert said and "hello again" not in said
