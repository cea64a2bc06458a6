"""The socket.io channel for the website widget, with what Rasa's own lacks.

Same protocol and settings as Rasa's (``session_request`` → ``session_confirm``,
``user_uttered`` with ``session_id``, ``bot_uttered``), and the same ``name()``,
so Rasa's HTTP API finds it for ``output_channel=latest`` (advocates' words from
the staff console reach the caller live). What it adds:

- **One event per bot message**: ``{"text", "quick_replies", "custom", "timestamp"}``
  together, so a referral answer's cards, a crisis banner or an advocate's name
  arrive with the text they belong to. Rasa's ``send_custom_json`` passed the
  payload to ``sio.emit`` as keyword arguments, which fails for Wayfinder's payloads.
- **Server-issued sessions**: the server, never the client, chooses the conversation
  id (``web:`` and 128 random bits, ``bot.identity``). ``session_request`` is answered
  with ``session_token`` (a signed resume token the widget keeps) and then
  ``session_confirm``; a request carrying a valid ``resume_token`` resumes that
  conversation, anything else starts a new one. Messages, typing and "caller left"
  signals count for the socket's own session only, whatever ``session_id`` they name.
- **History**: a resumed session gets, after ``session_confirm``, ``session_history``:
  the conversation's past messages from the tracker store, in the same shape as live
  ones, so a reload or a reconnect shows the conversation.
- **Origins**: a browser connecting from a page not in ``bot.config.allowed_origins()``
  is refused (websockets are outside CORS, so the check is here).
- **Bad input**: empty messages are ignored; a very long one is read in its first
  part (the whole text stays in the message's metadata), as the REST channel does;
  malformed events are dropped instead of raising inside the server.

Message text is data, never markup: clients insert it as text (the widget does).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from socketio import AsyncRedisManager, AsyncServer

from bot.channels.limits import MessageLimits
from bot.channels.rest import MAX_KEPT_CHARS, MAX_MESSAGE_CHARS
from bot.channels.safety import keep_callers_safe, language_of_text
from bot.channels.signals import CALLER_LEFT, CALLER_TYPING, signal_console
from bot.config import allowed_origins
from bot.copy import say
from bot.identity import ResumeTokens, new_web_conversation
from bot.workers import SOCKETIO_CHANNEL, redis_url

logger = logging.getLogger(__name__)

HISTORY_EVENT = "session_history"
TOKEN_EVENT = "session_token"
MAX_HISTORY_MESSAGES = 300
MAX_DISPLAY_CHARS = 200
# One socket.io packet; a message longer than MAX_KEPT_CHARS is refused anyway.
MAX_PACKET_BYTES = 100_000
SESSION_ID = re.compile(r"^web:[0-9a-f]{32}$")


def valid_session_id(value: Any) -> str | None:
    if isinstance(value, str) and SESSION_ID.match(value):
        return value
    return None


def origin_allowed(environ: dict, allowed: list[str]) -> bool:
    """Browsers always send Origin; a client without one is not a web page and proves nothing by it."""
    origin = environ.get("HTTP_ORIGIN")
    return not origin or origin.rstrip("/") in allowed


def bot_message(message: dict[str, Any]) -> dict[str, Any] | None:
    """What a client receives for one bot message (live or from history), or None if nothing to show."""
    out: dict[str, Any] = {}
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        out["text"] = text.strip()
    buttons = message.get("quick_replies") or message.get("buttons") or []
    replies = [
        {"content_type": "text", "title": str(button["title"]), "payload": str(button["payload"])}
        for button in buttons
        if isinstance(button, dict) and button.get("title") and button.get("payload")
    ]
    if replies:
        out["quick_replies"] = replies
    custom = message.get("custom")
    if isinstance(custom, dict) and custom:
        out["custom"] = custom
    for key in ("image", "attachment"):
        if message.get(key):
            out[key] = message[key]
    if not out:
        return None
    if isinstance(message.get("timestamp"), int | float):
        out["timestamp"] = message["timestamp"]
    return out


# Rasa's user event for an intent triggered from outside (``/trigger_intent``: the console's hand
# back, the unanswered crisis check's timer): "EXTERNAL: EXTERNAL_handed_back", never the caller's.
EXTERNAL_PREFIX = "EXTERNAL:"
EXTERNAL_INTENT_PREFIX = "EXTERNAL_"


def internal_event(event: UserUttered) -> bool:
    intent = (event.intent or {}).get("name") or ""
    text = (event.text or "").lstrip()
    return intent.startswith(EXTERNAL_INTENT_PREFIX) or text.startswith(EXTERNAL_PREFIX)


def user_display_text(event: UserUttered) -> str | None:
    """What the caller saw themselves send: a button's title rather than its payload."""
    metadata = event.metadata or {}
    if metadata.get("hidden") or internal_event(event):
        return None  # e.g. the widget's opening /greet, which the caller never typed
    display = metadata.get("display")
    if isinstance(display, str) and display.strip():
        return display.strip()[:MAX_DISPLAY_CHARS]
    text = metadata.get("full_text") or event.text
    return text if isinstance(text, str) and text.strip() else None


def history(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The conversation's past messages as the widget shows them, oldest first."""
    messages: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            text = user_display_text(event)
            if text is not None:
                messages.append({"sender": "user", "text": text, "timestamp": event.timestamp})
        elif isinstance(event, BotUttered):
            shown = bot_message(event.message())
            if shown is not None:
                messages.append({"sender": "bot", **shown})
    return messages[-MAX_HISTORY_MESSAGES:]


def parse_metadata(value: Any) -> dict[str, Any]:
    """The parts of a client's metadata Wayfinder reads; the socket is public, so nothing else is kept."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    if not isinstance(value, dict):
        return {}
    kept: dict[str, Any] = {}
    display = value.get("display")
    if isinstance(display, str) and display.strip():
        kept["display"] = display.strip()[:MAX_DISPLAY_CHARS]
    if value.get("hidden") is True:
        kept["hidden"] = True
    return kept


class WayfinderSocketIOOutput(SocketIOOutput):
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        shown = bot_message(message)
        if shown is not None:
            await self._send_message(recipient_id, shown)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def shared_rooms() -> AsyncRedisManager | None:
    """With a Redis for several Rasa processes (bot/workers.py), socket.io's rooms are shared
    through it: an emit in one process reaches the caller's socket in another."""
    url = redis_url()
    return AsyncRedisManager(url, channel=SOCKETIO_CHANNEL) if url else None


class AppCapturingBlueprint(SocketBlueprint):
    """Remembers the Sanic app it is registered on: socket.io handlers get no request to reach the agent."""

    def __init__(self, on_register: Callable[[Sanic], None], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.on_register = on_register

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        self.ctx.on_register(app)
        super().register(app, options)


class WayfinderSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: Sanic | None = None
        self.tokens = ResumeTokens.from_environment()
        self.origins = allowed_origins()
        self.limits = MessageLimits()

    def get_output_channel(self) -> WayfinderSocketIOOutput | None:
        if self.sio is None:
            return super().get_output_channel()
        return WayfinderSocketIOOutput(self.sio, self.bot_message_evt)

    async def past_messages(self, session_id: str) -> list[dict[str, Any]]:
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return []
        retrieve = getattr(store, "retrieve_full_tracker", None) or store.retrieve
        tracker = await retrieve(session_id)
        return history(tracker.events) if tracker else []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # A caller in crisis while the conversation is paused for an advocate still gets the crisis answer.
        on_new_message = keep_callers_safe(on_new_message)
        # cors_allowed_origins=[] turns python-engineio's own CORS handling off, as Rasa does, so
        # `rasa run --cors` decides which origins may talk to the socket.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            max_http_buffer_size=MAX_PACKET_BYTES,
            client_manager=shared_rooms(),
        )
        self.sio = sio

        def remember_app(app: Sanic) -> None:
            self.app = app

        socketio_webhook = AppCapturingBlueprint(
            remember_app, sio, self.socketio_path, "wayfinder_socketio_webhook", __name__
        )

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        async def conversation_of(sid: str) -> str | None:
            try:
                session = await sio.get_session(sid, namespace=self.namespace)
            except KeyError:  # the socket is gone
                return None
            return session.get("conversation_id")

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not origin_allowed(environ, self.origins):
                logger.warning("socketio channel: a page from an origin not allowed was refused")
                return False
            if not self.jwt_key:
                return True
            from rasa.core.channels.channel import decode_bearer_token

            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            resumed = self.tokens.verify(data.get("resume_token")) if isinstance(data, dict) else None
            session_id = resumed or new_web_conversation()
            previous = await conversation_of(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            await sio.save_session(sid, {"conversation_id": session_id}, namespace=self.namespace)
            await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit(TOKEN_EVENT, self.tokens.issue(session_id), room=sid, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            if resumed:
                try:
                    messages = await self.past_messages(session_id)
                except Exception:  # a missing history must not break the conversation
                    logger.exception("socketio channel: reading the history failed")
                    messages = []
                await sio.emit(
                    HISTORY_EVENT,
                    {"session_id": session_id, "messages": messages},
                    room=sid,
                    namespace=self.namespace,
                )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender_id = await conversation_of(sid)
            if sender_id is None:
                logger.warning("socketio channel: a message before session_request was ignored")
                return
            text = data.get("message")
            if not isinstance(text, str) or not text.strip():
                return  # an empty message says nothing; the widget never sends one
            text = text.strip()
            metadata = parse_metadata(data.get(self.metadata_key))
            output = WayfinderSocketIOOutput(sio, self.bot_message_evt)
            language = language_of_text(text)
            if not self.limits.admit(text, sender_id).allowed:
                if self.limits.should_notify(sender_id):
                    await output.send_response(sender_id, {"text": say("channel.slow_down", language)})
                return
            if len(text) > MAX_KEPT_CHARS:
                text = text[:MAX_KEPT_CHARS]  # nothing longer is stored; what is kept is still read
            if len(text) > MAX_MESSAGE_CHARS:
                metadata["full_text"] = text
                text = text[:MAX_MESSAGE_CHARS]
                await output.send_response(sender_id, {"text": say("channel.long_message", language)})
            try:
                await on_new_message(
                    UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata or None)
                )
            except Exception:  # the caller gets a kind answer; the operator gets the traceback
                logger.exception("socketio channel: handling a message failed")
                await output.send_response(sender_id, {"text": say("channel.no_reply", language)})

        async def signal(kind: str, sid: str) -> None:
            session_id = await conversation_of(sid)
            signal_console(getattr(getattr(self.app, "ctx", None), "agent", None), kind, session_id)

        @sio.on(CALLER_TYPING, namespace=self.namespace)
        async def caller_typing(sid: str, data: Any) -> None:
            await signal(CALLER_TYPING, sid)

        @sio.on(CALLER_LEFT, namespace=self.namespace)
        async def caller_left(sid: str, data: Any) -> None:
            """Quick exit: the caller left, perhaps because staying was not safe."""
            await signal(CALLER_LEFT, sid)

        return socketio_webhook
