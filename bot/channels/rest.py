"""The REST channel, with what Rasa's own lacks for callers' real messages.

Same URL and format as Rasa's (``POST /webhooks/rest/webhook`` with
``{"sender": ..., "message": ...}``), but: a body that is not a JSON object, or a
missing sender, gets a 400 with a clear error instead of a server error; an
empty message gets a kind prompt; a very long message is read in its first
part (the whole text is kept in the message's metadata, so nothing is lost).

Every request carries an integration's API key (``Authorization: Bearer KEY``, see
``bot.identity.RestKeys``); without one it gets a 401, unless anonymous REST is on for
development. The conversation is ``rest:<client>:<sender>``: a REST client can reach
its own conversations only, never an SMS or widget caller's.

Messages sent to a REST caller between their requests (an advocate's words, "you're
back with the assistant") wait in an outbox: ``GET /webhooks/rest/outbox?sender=...``,
with the same key, hands them out once, in order.

Sizes are capped before anything is stored: the whole message, and the metadata.
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

from bot.channels.limits import MessageLimits
from bot.channels.safety import keep_callers_safe, language_of_text
from bot.channels.stores import TrackerStoreUnavailable
from bot.copy import say
from bot.handoff.outbox import Outbox
from bot.identity import RestKeys, rest_conversation

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
# Beyond the part the assistant reads, a long message is kept whole for an advocate, up to this.
MAX_KEPT_CHARS = 20_000
MAX_METADATA_BYTES = 4096
# What the channel says itself (the catalog's channel.*), in the caller's language when their
# words say it; these are the English. An empty message has no words to tell the language by.
EMPTY_REPLY = say("channel.empty")
LONG_NOTE = say("channel.long_message")


def bad_request(message: str, status: int = 400) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


def unauthorized() -> response.HTTPResponse:
    return response.json(
        {
            "error": "an API key is required: send 'Authorization: Bearer KEY' (python -m bot.identity new-rest-key)"
        },
        status=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


def parse_body(request: Request) -> tuple[dict | None, str | None]:
    """The JSON object a client sent, or the reason it is not acceptable."""
    try:
        body = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
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


def oversized(body: dict) -> str | None:
    """Why a message is too big to keep, or None."""
    if len(body.get("message") or "") > MAX_KEPT_CHARS:
        return f"'message' is longer than {MAX_KEPT_CHARS} characters"
    if len(json.dumps(body.get("metadata") or {}, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        return f"'metadata' is larger than {MAX_METADATA_BYTES} bytes"
    return None


def as_sent_to(sender: str, message: dict[str, Any]) -> dict[str, Any]:
    """A reply as the client sees it: addressed to its own sender, not the conversation id."""
    return {**message, "recipient_id": sender}


def failed(
    collector: CollectingOutputChannel,
    sender: str,
    status: int,
    headers: dict[str, str] | None = None,
    language: str = "en",
) -> response.HTTPResponse:
    """A turn that failed: whatever was already said (a crisis answer), then the apology."""
    said = [as_sent_to(sender, message) for message in collector.messages]
    apology = {"recipient_id": sender, "text": say("channel.no_reply", language)}
    return response.json([*said, apology], status=status, headers=headers)


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

    @functools.cached_property
    def keys(self) -> RestKeys:
        return RestKeys.from_environment()

    @functools.cached_property
    def limits(self) -> MessageLimits:
        return MessageLimits()

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
            client = self.keys.client_for(request.headers.get("authorization"))
            if client is None:
                return unauthorized()
            sender = (request.args.get("sender") or "").strip()
            if not sender or len(sender) > MAX_SENDER_CHARS:
                return bad_request(
                    f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
                )
            waiting = await asyncio.get_running_loop().run_in_executor(
                None, self.outbox.take, rest_conversation(client, sender)
            )
            return response.json([as_sent_to(sender, message) for message in waiting])

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            client = self.keys.client_for(request.headers.get("authorization"))
            if client is None:
                return unauthorized()
            body, problem = parse_body(request)
            if problem:
                return bad_request(problem)
            problem = oversized(body)
            if problem:
                return bad_request(problem, status=413)
            sender = body["sender"].strip()
            conversation_id = rest_conversation(client, sender)
            text = (body.get("message") or "").strip()
            if not text:
                return response.json([{"recipient_id": sender, "text": EMPTY_REPLY}])
            language = language_of_text(text)
            admitted = self.limits.admit(text, conversation_id, client)
            if not admitted.allowed:
                return response.json(
                    {
                        "error": say("channel.slow_down", language),
                        "retry_after": int(admitted.retry_after_header),
                    },
                    status=429,
                    headers={"Retry-After": admitted.retry_after_header},
                )
            metadata: dict[str, Any] = dict(body.get("metadata") or {})
            truncated = len(text) > MAX_MESSAGE_CHARS
            if truncated:
                metadata["full_text"] = text
                text = text[:MAX_MESSAGE_CHARS]
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, conversation_id, input_channel=self.name(), metadata=metadata or None
                    )
                )
            except TrackerStoreUnavailable:
                # Nothing was stored or answered from an empty conversation: the client sends it again.
                # What did go out (the crisis lines) is kept in the answer.
                logger.error("rest channel: the tracker store is unavailable; the client was told to retry")
                return failed(collector, sender, status=503, headers={"Retry-After": "5"}, language=language)
            except Exception:  # the caller gets a kind answer; the operator gets the traceback
                logger.exception("rest channel: handling a message failed")
                return failed(collector, sender, status=500, language=language)
            messages = [as_sent_to(sender, message) for message in collector.messages]
            if truncated:
                messages = [
                    {"recipient_id": sender, "text": say("channel.long_message", language)},
                    *messages,
                ]
            return response.json(messages)

        return webhook
