"""Requests to the action server written by ujson (bot/channels/action_requests.py) mean what
Rasa's json.dumps would have written, and reach a real HTTP server whole."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.channels.action_requests import ActionEndpoint, dumps

BODIES = [
    {"next_action": "action_search_services", "sender_id": "rest:caller", "version": "3.6.21"},
    {"text": "necesito un psicólogo en el norte, ¿dónde? 😊", "url": "https://example.org/a/b"},
    {
        "timestamp": 1765123456.1234567,
        "age": 34,
        "huge": 2**70,
        "none": None,
        "yes": True,
        "list": [1.5, "x", []],
    },
    {"html": "<script>alert('x')</script> & \"quotes\" \\ back\nslash\t", "empty": {}},
]


@pytest.mark.parametrize("body", BODIES)
def test_a_body_reads_back_as_json_dumps_writes_it(body):
    assert json.loads(dumps(body)) == json.loads(json.dumps(body))


def test_what_neither_can_write_is_refused_as_rasa_refuses_it():
    with pytest.raises(TypeError):
        json.dumps({"not json": {1, 2}})
    with pytest.raises(TypeError):
        dumps({"not json": {1, 2}})


def test_the_endpoint_keeps_rasas_settings():
    rasa = EndpointConfig(
        url="http://127.0.0.1:5055/webhook",
        headers={"Authorization": "Bearer secret"},
        token="t",
        token_name="auth",
        params={"a": "b"},
        type="x",
        other="kept",
    )
    ours = ActionEndpoint.of(rasa)
    assert (ours.url, ours.headers, ours.token, ours.token_name, ours.params, ours.type, ours.kwargs) == (
        rasa.url,
        rasa.headers,
        rasa.token,
        rasa.token_name,
        rasa.params,
        rasa.type,
        rasa.kwargs,
    )


def test_a_request_reaches_a_real_server_whole():
    received = []

    async def webhook(request: web.Request) -> web.Response:
        received.append((request.headers["Authorization"], request.content_type, await request.json()))
        return web.json_response({"events": [], "responses": []})

    async def scenario() -> dict:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = ActionEndpoint.of(
            EndpointConfig(url=f"http://127.0.0.1:{port}/webhook", headers={"Authorization": "Bearer s"})
        )
        try:
            return await endpoint.request(json=BODIES[1], method="post")
        finally:
            await runner.cleanup()

    assert asyncio.run(scenario()) == {"events": [], "responses": []}
    assert received == [("Bearer s", "application/json", BODIES[1])]
