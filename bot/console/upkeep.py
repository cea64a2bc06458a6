"""The console's upkeep: release conversations whose advocate is idle or gone, end waits the
caller left, and mark advocates whose console is gone as offline."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any

from bot.console.background import BackgroundLoop
from bot.console.feed import LiveFeed
from bot.console.live import Live
from bot.handoff.desk import HandoffDesk, blocking
from bot.handoff.presence import Presence

logger = logging.getLogger(__name__)


class Upkeep(BackgroundLoop):
    def __init__(
        self, desk: HandoffDesk, live: Live, presence: Presence, feed: LiveFeed, settings: Any
    ) -> None:
        self.desk, self.live, self.presence, self.feed = desk, live, presence, feed
        self.settings = settings

    async def once(self) -> None:
        now = datetime.now(timezone.utc)
        connected = self.live.connected()
        for username in connected:
            self.live.last_seen[username] = now
        changes = await self.desk.expire(
            advocate_idle=self.settings.advocate_idle,
            caller_gone=self.settings.caller_gone,
            disconnect_grace=self.settings.advocate_gone,
            last_seen=dict(self.live.last_seen),
        )
        if changes:
            await self.feed.refresh_queue()
        gone = [
            advocate.username
            for advocate in await blocking(self.presence.everyone)
            if advocate.status != "offline"
            and advocate.username not in connected
            and now
            - max(self.live.last_seen.get(advocate.username, advocate.updated_at), advocate.updated_at)
            >= self.settings.advocate_gone
        ]
        if gone and await blocking(self.presence.go_offline, gone):
            await self.feed.presence_changed()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.settings.upkeep_seconds)
            try:
                await self.once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("console upkeep failed; retrying")
