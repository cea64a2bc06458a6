"""A real assistant for conversation and safety tests: the trained model served by a
real Rasa server, a real action server, and the sample directory in a scratch var/."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from bot import run
from bot.identity import channel_of, rest_conversation
from bot.rasa_auth import rasa_api_headers

# The REST API key the session's assistant accepts (tests/conftest.py configures it as client "tests").
TEST_REST_CLIENT = "tests"
TEST_REST_KEY = "test-rest-key-0123456789abcdef"
# A second integration, to show that integrations cannot reach each other's conversations.
OTHER_REST_CLIENT = "other"
OTHER_REST_KEY = "other-rest-key-fedcba9876543210"


@dataclass
class Assistant:
    rest_url: str
    api_url: str
    # Signs the JWTs this stack's Rasa HTTP API takes (bot.rasa_auth).
    jwt_secret: str
    var_dir: Path
    console_url: str = ""

    def post(self, body: bytes, content_type: str = "application/json") -> tuple[int, object]:
        request = urllib.request.Request(
            self.rest_url,
            data=body,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {TEST_REST_KEY}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def say(self, sender: str, text: str) -> list[dict]:
        status, messages = self.post(json.dumps({"sender": sender, "message": text}).encode())
        assert status == 200, messages
        return messages

    def query(self, sql: str, **params) -> list[tuple]:
        """Rows from the assistant's own records (sign-ups, intakes, the handoff queue)."""
        engine = sa.create_engine(f"sqlite:///{self.var_dir / 'wayfinder.sqlite3'}")
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(sa.text(sql), params)]
        finally:
            engine.dispose()

    def api_headers(self) -> dict[str, str]:
        """Authenticate one call to the Rasa HTTP API, as the console does: a short-lived admin JWT."""
        return rasa_api_headers(self.jwt_secret)

    def tracker(self, sender: str) -> dict:
        url = f"{self.api_url}/conversations/{quote(rest_conversation_id(sender), safe=':+')}/tracker"
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=self.api_headers()), timeout=30
        ) as reply:
            return json.loads(reply.read())


def rest_conversation_id(sender: str) -> str:
    """The conversation id the REST channel gives a test client's ``sender``; ids that
    already name their channel (``web:...``, ``sms:...``) are returned as they are."""
    return sender if channel_of(sender) else rest_conversation(TEST_REST_CLIENT, sender)


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages if message.get("text"))


def customs(messages: list[dict], kind: str | None = None) -> list[dict]:
    found = [message["custom"] for message in messages if "custom" in message]
    return [custom for custom in found if kind is None or custom.get("type") == kind]


def start_stack(
    var_dir: Path,
    extra_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    **directory: Path | list[Path],
) -> tuple[Assistant, run.Ports, dict]:
    """Every process of a stack of its own over ``var_dir`` (``run.start_isolated``; ``directory=``
    and ``crosswalk=``, one path or a list, load another directory than the sample), as an Assistant."""
    try:
        model = run.latest_model()
    except SystemExit:
        pytest.fail("no trained model in models/: `make test` trains one (python -m bot.run --prepare)")
    ports, jwt_secret, processes = run.start_isolated(model, var_dir, extra_env, log_dir=log_dir, **directory)
    assistant = Assistant(
        rest_url=f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook",
        api_url=f"http://127.0.0.1:{ports.rasa}",
        jwt_secret=jwt_secret,
        var_dir=var_dir,
        console_url=f"http://127.0.0.1:{ports.console}",
    )
    return assistant, ports, processes


def start_assistant(tmp_path_factory, extra_env: dict[str, str] | None = None) -> tuple[Assistant, dict]:
    assistant, _ports, processes = start_stack(tmp_path_factory.mktemp("assistant-var"), extra_env)
    return assistant, processes
