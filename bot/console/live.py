"""The advocates' live feed: their open websockets, following Rasa's event broker, and turning
Rasa events into the transcript advocates read.

A live connection lasts only as long as its session: signing out or disabling the
account closes it at once (``Live.end_session``, ``Live.end_user``), and each
connection checks its session again every few seconds (``listen_while``) for what
happens elsewhere (the CLI, another console process, expiry).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from bot.db import engine_with_tables

logger = logging.getLogger(__name__)

# The table Rasa's SQL event broker writes (bot/channels/stores.py names it).
BROKER_TABLE = "rasa_broker_events"

metadata = sa.MetaData()
broker_events = sa.Table(
    BROKER_TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("data", sa.Text),
)


# The close code a browser gets when its session has ended (4000-4999 are the application's; 401's twin).
SESSION_ENDED = 4401


@dataclass(frozen=True)
class Watcher:
    """Who holds an open live connection, and the session (cookie token) it was opened with."""

    username: str
    token: str


@dataclass
class Live:
    """The advocates' open websockets, and when each advocate was last connected."""

    sockets: dict[Any, Watcher] = field(default_factory=dict)
    last_seen: dict[str, datetime] = field(default_factory=dict)
    queue_signature: str = ""
    alerted: set[tuple[int, datetime | None]] = field(default_factory=set)

    def add(self, socket: Any, username: str, token: str) -> None:
        self.sockets[socket] = Watcher(username, token)
        self.last_seen[username] = datetime.now(timezone.utc)

    def discard(self, socket: Any) -> None:
        watcher = self.sockets.pop(socket, None)
        if watcher is not None:
            self.last_seen[watcher.username] = datetime.now(timezone.utc)

    async def broadcast(self, message: dict) -> None:
        text = json.dumps(message, default=str)
        for socket in list(self.sockets):
            try:
                await socket.send(text)
            except Exception:  # a socket that closed mid-send is dropped by its own handler
                self.sockets.pop(socket, None)

    def connected(self) -> set[str]:
        return {watcher.username for watcher in self.sockets.values()}

    async def end_session(self, token: str | None) -> int:
        """Close the connections opened with this session (it was signed out); how many."""
        return await self._close(lambda watcher: bool(token) and watcher.token == token, "signed out")

    async def end_user(self, username: str) -> int:
        """Close every connection of this account (it was disabled); how many."""
        return await self._close(lambda watcher: watcher.username == username, "account disabled")

    async def _close(self, ending: Callable[[Watcher], bool], reason: str) -> int:
        closing = [socket for socket, watcher in list(self.sockets.items()) if ending(watcher)]
        for socket in closing:
            # Out of the broadcast at once, before the browser's side of the close arrives.
            self.sockets.pop(socket, None)
            try:
                await socket.close(code=SESSION_ENDED, reason=reason)
            except Exception:  # already closing: the connection ends either way
                logger.debug("closing a live connection failed", exc_info=True)
        return len(closing)


async def listen_while(socket: Any, holds: Callable[[], Awaitable[bool]], every: float) -> None:
    """Read (and drop: browsers only listen) what comes in on ``socket`` while ``holds()`` says
    its session still holds, asking at most every ``every`` seconds however much arrives;
    closes the socket with SESSION_ENDED when it no longer does. Returns when either side closed."""
    loop = asyncio.get_running_loop()
    check_at = loop.time() + every
    while True:
        await socket.recv(timeout=max(0.0, check_at - loop.time()))
        if loop.time() < check_at:
            continue
        if not await holds():
            await socket.close(code=SESSION_ENDED, reason="the session has ended")
            return
        check_at = loop.time() + every


def _at(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(float(timestamp), timezone.utc).isoformat()


def turn(event: dict) -> dict | None:
    """A caller, assistant or advocate message; None for events that are not messages."""
    kind = event.get("event")
    if kind == "user":
        text = event.get("text") or ""
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if text.startswith("/") and intent and text[1:].startswith(intent):
            # A button press: show what the caller chose, not the payload syntax.
            text = f"[chose {intent.replace('_', ' ')}]"
        return {"who": "caller", "text": text, "intent": intent, "at": _at(event.get("timestamp"))}
    if kind == "bot":
        data = event.get("data") or {}
        custom = data.get("custom")
        advocate = (event.get("metadata") or {}).get("advocate_name")
        if isinstance(custom, dict) and custom.get("type") == "advocate_message":
            advocate = advocate or custom.get("advocate")
        return {
            "who": "advocate" if advocate else "assistant",
            "advocate": advocate,
            "text": event.get("text") or "",
            "custom": custom,
            "buttons": [
                button.get("title") for button in data.get("buttons") or [] if isinstance(button, dict)
            ],
            "at": _at(event.get("timestamp")),
        }
    return None


def transcript(events: list[dict]) -> list[dict]:
    return [message for message in (turn(event) for event in events) if message is not None]


def is_crisis(event: dict) -> bool:
    """A caller's message that the NLU (classifier or rule layer) recognised as crisis."""
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return event.get("event") == "user" and intent == "crisis"


@dataclass
class BrokerFollower:
    """Reads new broker rows in order; starts at the end, since the console shows history from trackers."""

    url: str
    cursor: int = 0
    engine: sa.engine.Engine = field(init=False)

    def __post_init__(self) -> None:
        self.engine = engine_with_tables(metadata, self.url)

    def skip_to_end(self) -> None:
        with self.engine.connect() as conn:
            self.cursor = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(broker_events.c.id), 0))
            ).scalar_one()

    def new_events(self, limit: int = 500) -> list[tuple[str, dict]]:
        """(conversation id, event) pairs published since the last call."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(broker_events)
                .where(broker_events.c.id > self.cursor)
                .order_by(broker_events.c.id)
                .limit(limit)
            ).all()
        found = []
        for row in rows:
            self.cursor = row.id
            try:
                event = json.loads(row.data)
            except (TypeError, json.JSONDecodeError):
                continue
            sender = row.sender_id or event.get("sender_id")
            if sender:
                found.append((sender, event))
        return found

    def close(self) -> None:
        self.engine.dispose()
