"""Action calls in parts (bot/channels/action_calls.py) between the Rasa server's endpoint
(bot/channels/action_requests.py) and the real action server app (bot/channels/action_server.py)
over real HTTP: the action always sees the whole conversation, and only the first call of a
conversation, or one the action server cannot put together, carries all of it."""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import asynccontextmanager

import aiohttp
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.endpoint import create_app as create_sdk_app

from bot.channels.action_calls import EVENTS_BEFORE, EVENTS_CHECK, HeldConversations
from bot.channels.action_requests import ActionEndpoint
from bot.channels.action_server import create_app, require_token

TOKEN = "test-action-token"
ECHO = "tests.channels.event_echo_actions"
DOMAIN = Domain.from_dict({"slots": {"zip": {"type": "text", "mappings": [{"type": "custom"}]}}})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def action_server(in_parts: bool = True):
    """The real action server app (token, middlewares, rasa_sdk) on a port, with what each call
    carried recorded as it arrived; without ``in_parts``, as a release before this protocol."""
    if in_parts:
        app = create_app(TOKEN, package=ECHO)
    else:
        app = create_sdk_app(ECHO, cors_origins=None)
        require_token(app, TOKEN)
    carried: list[int] = []

    @app.middleware("request")
    async def record(request) -> None:
        if request.path == "/webhook":
            carried.append(len(json.loads(request.body)["tracker"]["events"]))

    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    try:
        yield f"http://127.0.0.1:{port}/webhook", carried
    finally:
        server.close()
        await server.wait_closed()


def turn(text: str, at: float) -> list[Event]:
    return [
        UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=at),
        SlotSet("zip", "19104", timestamp=at + 0.1),
        ActionExecuted("action_count_events", timestamp=at + 0.2),
        BotUttered(f"about {text}", timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def call(sender: str, events: list[Event]) -> dict:
    tracker = DialogueStateTracker.from_events(sender, events, DOMAIN.slots)
    return {
        "next_action": "action_count_events",
        "sender_id": sender,
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "domain": DOMAIN.as_dict(),
        "version": "3.6.21",
    }


def endpoint(url: str) -> ActionEndpoint:
    return ActionEndpoint.of(EndpointConfig(url=url, headers={"Authorization": f"Bearer {TOKEN}"}))


async def seen(action_endpoint: ActionEndpoint, body: dict) -> dict:
    """What the action was given: its count of events, their timestamps, the latest message."""
    answer = await action_endpoint.request(json=body, method="post")
    assert set(answer) == {"events", "responses"}  # as rasa_sdk answers: the server's word taken out
    return answer["responses"][0]["custom"]


def given(body: dict) -> dict:
    events = body["tracker"]["events"]
    return {
        "count": len(events),
        "timestamps": [event["timestamp"] for event in events],
        "latest": body["tracker"]["latest_message"]["text"],
    }


def test_after_the_first_call_only_new_events_travel_and_the_action_sees_them_all():
    async def scenario() -> None:
        async with action_server() as (url, carried):
            rasa = endpoint(url)
            events: list[Event] = []
            for number in range(4):
                events += turn(f"message {number}", 1000 + number)
                body = call("caller", events)
                assert await seen(rasa, body) == given(body)
            assert rasa.calls == {"whole": 1, "in parts": 3}
            assert carried == [5, 5, 5, 5]  # each call carried one turn, the first all of it

    asyncio.run(scenario())


def test_a_call_after_a_forms_validation_shares_the_conversation_not_the_validations_own_events():
    async def scenario() -> None:
        async with action_server() as (url, carried):
            rasa = endpoint(url)
            conversation = turn("first", 1000) + turn("second", 1010)
            await seen(rasa, call("caller", conversation))
            # Rasa's form validates on a temporary tracker: the conversation, then events of its own.
            validation = [
                *conversation,
                SlotSet("zip", "19143", timestamp=1020.5),
                ActionExecuted("form", timestamp=1020.6),
            ]
            assert await seen(rasa, call("caller", validation)) == given(call("caller", validation))
            conversation += turn("third", 1030)
            body = call("caller", conversation)
            assert await seen(rasa, body) == given(body)
            assert carried == [10, 2, 5]
            assert rasa.calls == {"whole": 1, "in parts": 2}

    asyncio.run(scenario())


def test_an_action_server_without_the_protocol_is_always_sent_the_whole_conversation():
    async def scenario() -> None:
        async with action_server(in_parts=False) as (url, carried):
            rasa = endpoint(url)
            events: list[Event] = []
            for number in range(3):
                events += turn(f"message {number}", 1000 + number)
                body = call("caller", events)
                assert await seen(rasa, body) == given(body)
            assert carried == [5, 10, 15]
            assert rasa.calls == {"whole": 3}

    asyncio.run(scenario())


def test_a_restarted_action_server_is_sent_the_whole_conversation_again():
    async def scenario() -> None:
        events = turn("first", 1000)
        async with action_server() as (url, _):
            rasa = endpoint(url)
            await seen(rasa, call("caller", events))
        async with action_server() as (url, carried):  # nothing held
            rasa.url = url
            events += turn("second", 1010)
            body = call("caller", events)
            assert await seen(rasa, body) == given(body)
            assert carried == [10]  # in parts: refused before any action ran; then whole
        assert rasa.calls == {"whole": 2, "sent again whole": 1}

    asyncio.run(scenario())


def test_another_conversation_under_the_same_id_is_sent_whole():
    async def scenario() -> None:
        async with action_server() as (url, carried):
            rasa = endpoint(url)
            await seen(rasa, call("caller", turn("first", 1000) + turn("second", 1010)))
            other = turn("new session", 5000) + turn("goes on", 5010) + turn("and on", 5020)
            body = call("caller", other)
            assert await seen(rasa, body) == given(body)
            assert carried == [10, 15]
            assert rasa.calls == {"whole": 2}

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "before, check",
    [
        pytest.param(5, [1000.0, 9999.0], id="other events held"),
        pytest.param(50, [1000.0, 1000.4], id="more events than held"),
        pytest.param(0, [], id="nothing before"),
        pytest.param("5", [1000.0, 1000.4], id="not a count"),
    ],
)
def test_a_call_in_parts_the_server_cannot_put_together_is_refused_and_runs_no_action(before, check):
    async def scenario() -> tuple[int, dict]:
        async with action_server() as (url, carried):
            rasa = endpoint(url)
            await seen(rasa, call("caller", turn("first", 1000)))
            body = call("caller", turn("first", 1000) + turn("second", 1010))
            body["tracker"]["events"] = body["tracker"]["events"][5:]
            body[EVENTS_BEFORE] = before
            body[EVENTS_CHECK] = check
            async with (
                aiohttp.ClientSession() as session,
                session.post(url, json=body, headers={"Authorization": f"Bearer {TOKEN}"}) as reply,
            ):
                assert carried == [5]  # refused before any action ran
                return reply.status, await reply.json()

    status, answer = asyncio.run(scenario())
    assert (status, answer) == (409, {"error": "send the whole conversation"})


def test_held_conversations_are_bounded_least_recently_used_first_out():
    held = HeldConversations(conversations=2)
    for sender in ("a", "b", "c"):
        held.hold(sender, [{"timestamp": 1.0}])
    assert held.put_together("a", 1, [1.0, 1.0], []) is None
    assert held.put_together("c", 1, [1.0, 1.0], [{"timestamp": 2.0}]) == [
        {"timestamp": 1.0},
        {"timestamp": 2.0},
    ]


def test_held_events_are_bounded_and_a_conversation_too_long_to_hold_is_not_held():
    held = HeldConversations(conversations=10, events=5)
    assert held.hold("a", [{"timestamp": 1.0}] * 3)
    assert held.hold("b", [{"timestamp": 2.0}] * 2)
    assert held.hold("c", [{"timestamp": 3.0}] * 2)  # 7 events: "a" goes
    assert held.put_together("a", 1, [1.0, 1.0], []) is None
    assert held.put_together("b", 2, [2.0, 2.0], []) is not None
    assert not held.hold("b", [{"timestamp": 2.0}] * 6)  # more than may be held at all
    assert held.put_together("b", 2, [2.0, 2.0], []) is None
    assert held.put_together("c", 2, [3.0, 3.0], []) is not None
