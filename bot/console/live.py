"""The advocates' open live connections (websockets), and when each advocate was last connected.

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

logger = logging.getLogger(__name__)

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
