"""A caller texting the real assistant: webhooks signed as Twilio signs them, replies read from the fake."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

import pytest
from twilio.request_validator import RequestValidator

from bot.identity import sms_conversation
from tests.assistant import Assistant
from tests.fakes.twilio import NUMBER, PUBLIC_URL, FakeTwilio


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=90) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Texter:
    """One phone texting the assistant through the Twilio channel."""

    assistant: Assistant
    fake: FakeTwilio
    phone: str

    @property
    def webhook_url(self) -> str:
        return f"{self.assistant.api_url}/webhooks/twilio/webhook"

    def form(self, body: str, sid: str | None = None) -> dict[str, str]:
        """The parameters of an inbound SMS webhook, as Twilio sends them (empty ones included)."""
        sid = sid or "SM" + uuid.uuid4().hex
        return {
            "ToCountry": "US",
            "ToState": "PA",
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "ToCity": "PHILADELPHIA",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "PA",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "US",
            "To": NUMBER,
            "ToZip": "19107",
            "NumSegments": "1",
            "ReferralNumMedia": "0",
            "MessageSid": sid,
            "AccountSid": self.fake.account_sid,
            "From": self.phone,
            "ApiVersion": "2010-04-01",
        }

    def post(
        self, form: dict[str, str], signature: str | None = None, signed_url: str = PUBLIC_URL
    ) -> tuple[int, str]:
        if signature is None:
            signature = RequestValidator(self.fake.auth_token).compute_signature(signed_url, form)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature:
            headers["X-Twilio-Signature"] = signature
        status, body = http(self.webhook_url, urllib.parse.urlencode(form).encode(), headers)
        return status, body.decode()

    def text(self, body: str, sid: str | None = None) -> str:
        """Send a text; returns the webhook's answer (TwiML), after the assistant handled it."""
        status, answer = self.post(self.form(body, sid))
        assert status == 200, answer
        return answer

    def replies(self) -> list[str]:
        return self.fake.bodies(self.phone)

    def wait_for(self, fragment: str, after: int = 0) -> list[str]:
        """The texts received after the first ``after`` ones, up to the first containing ``fragment``."""
        bodies = self.fake.wait_for(
            self.phone, lambda bodies: any(fragment in body for body in bodies[after:])
        )[after:]
        return bodies[: next(i for i, body in enumerate(bodies) if fragment in body) + 1]

    def api(self, method_path: str, payload: object) -> tuple[int, object]:
        """The Rasa HTTP API, as an advocate's console would call it."""
        url = f"{self.assistant.api_url}{method_path}"
        headers = {"Content-Type": "application/json", **self.assistant.api_headers()}
        status, body = http(url, json.dumps(payload).encode(), headers)
        return status, json.loads(body or b"null")

    @property
    def conversation(self) -> str:
        # Raw "+" and ":": Rasa's routes (Sanic) do not percent-decode the conversation id.
        return f"/conversations/{urllib.parse.quote(sms_conversation(self.phone), safe='+:')}"

    def user_texts(self) -> list[str]:
        """What reached the assistant from this phone."""
        url = f"{self.assistant.api_url}{self.conversation}/tracker"
        status, body = http(url, headers=self.assistant.api_headers())
        assert status == 200, body
        return [event.get("text") for event in json.loads(body)["events"] if event["event"] == "user"]


@pytest.fixture
def texter(assistant, fake_twilio) -> Texter:
    return Texter(assistant, fake_twilio, f"+1267{uuid.uuid4().int % 10**7:07d}")
