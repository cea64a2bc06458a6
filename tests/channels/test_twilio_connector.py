"""The Twilio connector in process (a Sanic app, a stand-in for the assistant): what the logs hold,
an unconfigured server, and webhook URLs with a query string."""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
import uuid

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from twilio.request_validator import RequestValidator

from bot.channels.twilio import WayfinderTwilioInput
from bot.sms import SmsStore, TwilioSettings
from tests.fakes.twilio import NUMBER, PUBLIC_URL, FakeTwilio

PHONE = "+12675550187"


@pytest.fixture
def fake():
    with FakeTwilio() as running:
        yield running


def app_with(channel: WayfinderTwilioInput, heard: list[UserMessage]) -> Sanic:
    async def assistant(message: UserMessage) -> None:
        """Stands in for Rasa: remembers the message and answers with a question with buttons."""
        heard.append(message)
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": "Your private answer. Shall I go on?",
                "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
            },
        )

    app = Sanic(f"sms_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(assistant), url_prefix="/webhooks/twilio")
    return app


def signed(fake: FakeTwilio, body: str, url: str = PUBLIC_URL, sid: str | None = None) -> tuple[str, dict]:
    form = {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "From": PHONE,
        "To": NUMBER,
        "Body": body,
        "FromCity": "",
    }
    signature = RequestValidator(fake.auth_token).compute_signature(url, form)
    return urllib.parse.urlencode(form), {
        "X-Twilio-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def test_an_unconfigured_server_answers_503_saying_what_to_set(monkeypatch):
    for variable in (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_NUMBER",
        "TWILIO_MESSAGING_SERVICE_SID",
    ):
        monkeypatch.delenv(variable, raising=False)
    channel = WayfinderTwilioInput.from_credentials(None)
    app = app_with(channel, [])

    async def scenario():
        health = await app.asgi_client.get("/webhooks/twilio/")
        webhook = await app.asgi_client.post("/webhooks/twilio/webhook", data="From=%2B1&Body=hi")
        # An advocate's message to an SMS conversation on such a server is dropped, not an error.
        await channel.get_output_channel().send_response(PHONE, {"text": "hello"})
        return health, webhook

    (_, health), (_, webhook) = asyncio.run(scenario())
    assert health.json == {"status": "ok", "configured": False}
    assert webhook.status == 503
    assert "TWILIO_ACCOUNT_SID" in webhook.text and "TWILIO_NUMBER" in webhook.text


def test_logs_hold_neither_bodies_nor_full_numbers(fake, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    store = SmsStore.open(f"sqlite:///{tmp_path / 'sms.sqlite3'}")
    channel = WayfinderTwilioInput(TwilioSettings.from_env(fake.environment()), store=store)
    heard: list[UserMessage] = []
    app = app_with(channel, heard)
    fake.fail_next(1, to=PHONE)
    retried_sid = "SM" + uuid.uuid4().hex

    async def text(body: str, sid: str | None = None) -> int:
        data, headers = signed(fake, body, sid=sid)
        _, reply = await app.asgi_client.post("/webhooks/twilio/webhook", data=data, headers=headers)
        return reply.status

    async def scenario() -> list[int]:
        statuses = [
            await text("my secret worry", sid=retried_sid),
            await text("my secret worry", sid=retried_sid),
            await text("2"),
            await text("STOP"),
            await text("another secret"),
            await text("HELP"),
        ]
        await channel.get_output_channel().send_response(PHONE, {"text": "a secret advocate note"})
        await channel.sender.idle()
        await channel.sender.close()
        return statuses

    assert asyncio.run(scenario()) == [200] * 6
    assert [message.text for message in heard] == ["my secret worry", "/deny"]
    assert heard[1].metadata["sms"]["menu_choice"] == "2"
    bodies = fake.bodies(PHONE)
    assert bodies[0].startswith("Your private answer.") and "1. Yes\n2. No" in bodies[0]
    assert "unsubscribed" in bodies[2] and "STOP" in bodies[3] and len(bodies) == 4
    logged = caplog.text
    assert "***0187" in logged  # the logs do say whose messages, by their last digits
    assert PHONE not in logged and "2675550187" not in logged
    assert "secret" not in logged and "private" not in logged
    store.close()


def test_the_signature_covers_the_query_string_of_the_public_url(fake, tmp_path):
    store = SmsStore.open(f"sqlite:///{tmp_path / 'sms.sqlite3'}")
    channel = WayfinderTwilioInput(TwilioSettings.from_env(fake.environment()), store=store)
    heard: list[UserMessage] = []
    app = app_with(channel, heard)

    async def scenario() -> list[int]:
        statuses = []
        for signed_url in (f"{PUBLIC_URL}?site=west", PUBLIC_URL):
            data, headers = signed(fake, "hello", url=signed_url)
            _, reply = await app.asgi_client.post(
                "/webhooks/twilio/webhook?site=west", data=data, headers=headers
            )
            statuses.append(reply.status)
        await channel.sender.idle()
        await channel.sender.close()
        return statuses

    assert asyncio.run(scenario()) == [200, 403]
    assert len(heard) == 1
    store.close()
