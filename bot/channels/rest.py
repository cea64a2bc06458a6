"""The REST channel, with what Rasa's own lacks for callers' real messages.

Same URL and format as Rasa's (``POST /webhooks/rest/webhook`` with
``{"sender": ..., "message": ...}``), but: a body that is not a JSON object, or a
missing sender, gets a 400 with a clear error instead of a server error; an
empty message gets a kind prompt; a very long message is read in its first
part (the whole text is kept in the message's metadata, so nothing is lost).

Messages sent to a REST caller between their requests (an advocate's words, "you're
back with the assistant") wait in an outbox: ``GET /webhooks/rest/outbox?sender=...``
hands them out once, in order.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.safety import NO_REPLY, keep_callers_safe
from bot.handoff.outbox import Outbox

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
EMPTY_REPLY = 'I didn\'t get any words there. What can I help you find? You can also say "talk to a person".'
LONG_NOTE = "That was a long message, so I read the first part. A human advocate can read all of it if you ask for one."


def bad_request(message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=400)


def parse_body(request: Request) -> tuple[dict | None, str | None]:
    """The JSON object a client sent, or the reason it is not acceptable."""
    try:
        body = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, 'the body must be JSON: {"sender": "...", "message": "..."}'
    if not isinstance(body, dict):
        return None, "the body must be a JSON object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        return None, "'message' must be a string"
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return None, "'metadata' must be a JSON object"
    return body, None


class OutboxOutput(OutputChannel):
    """Messages sent to a REST caller outside their own request (an advocate's), kept for collection."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        kept = {"recipient_id": recipient_id, **{k: v for k, v in message.items() if v not in (None, [], "")}}
        await asyncio.get_running_loop().run_in_executor(None, self.outbox.put, recipient_id, kept)


class WayfinderRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @functools.cached_property
    def outbox(self) -> Outbox:
        return Outbox.open()

    def get_output_channel(self) -> OutputChannel:
        """Where Rasa sends messages for a REST caller between requests (output_channel=latest)."""
        return OutboxOutput(self.outbox)

    def blueprint(self, on_new_message) -> Blueprint:
        on_new_message = keep_callers_safe(on_new_message)
        webhook = Blueprint("wayfinder_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/outbox", methods=["GET"])
        async def collect(request: Request) -> response.HTTPResponse:
            sender = (request.args.get("sender") or "").strip()
            if not sender or len(sender) > MAX_SENDER_CHARS:
                return bad_request(
                    f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
                )
            waiting = await asyncio.get_running_loop().run_in_executor(None, self.outbox.take, sender)
            return response.json(waiting)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            body, problem = parse_body(request)
            if problem:
                return bad_request(problem)
            sender = body["sender"].strip()
            text = (body.get("message") or "").strip()
            if not text:
                return response.json([{"recipient_id": sender, "text": EMPTY_REPLY}])
            metadata: dict[str, Any] = dict(body.get("metadata") or {})
            truncated = len(text) > MAX_MESSAGE_CHARS
            if truncated:
                metadata["full_text"] = text
                text = text[:MAX_MESSAGE_CHARS]
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata or None)
                )
            except Exception:  # the caller gets a kind answer; the operator gets the traceback
                logger.exception("rest channel: handling a message failed")
                return response.json([{"recipient_id": sender, "text": NO_REPLY}], status=500)
            messages = collector.messages
            if truncated:
                messages = [{"recipient_id": sender, "text": LONG_NOTE}, *messages]
            return response.json(messages)

        return webhook
