"""The advocates' live feed: conversation events in, queue changes, alerts and turns out.

It follows every conversation (``Conversations.follow``), lets the handoff desk note
what each event changes (the caller's activity, a crisis, the caller leaving), and
tells every open console: the turn, the queue when it changed, an alert when a request
becomes urgent, and who is on shift.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from bot.console.background import BackgroundLoop
from bot.console.live import Live
from bot.console.records import RecordView
from bot.handoff.conversations import ConversationEvent, EventSource
from bot.handoff.desk import HandoffDesk, blocking
from bot.handoff.presence import Presence, offline

logger = logging.getLogger(__name__)


class LiveFeed(BackgroundLoop):
    def __init__(
        self,
        desk: HandoffDesk,
        live: Live,
        view: RecordView,
        presence: Presence,
        open_source: Callable[[], EventSource],
        poll_seconds: float = 0.3,
    ) -> None:
        self.desk, self.live, self.view, self.presence = desk, live, view, presence
        self.open_source = open_source
        self.poll_seconds = poll_seconds

    async def queue_message(self) -> dict:
        return {
            "type": "queue",
            "handoffs": [self.view.public(r) for r in await blocking(self.desk.queue.active)],
        }

    async def presence_message(self) -> dict:
        return {"type": "presence", "advocates": await blocking(self.advocates)}

    def advocates(self) -> list[dict]:
        """Every active account with its status and languages, for the console's header and transfers."""
        known = {p.username: p for p in self.presence.everyone()}
        shown = []
        for user in self.view.accounts.users():
            if not user["active"]:
                continue
            presence = known.get(user["username"]) or offline(user["username"])
            shown.append({**presence.to_json(), "display_name": user["display_name"], "role": user["role"]})
        return sorted(shown, key=lambda a: (not a["on_shift"], a["display_name"].lower()))

    async def refresh_queue(self) -> None:
        """Tell every console the queue, when it changed, and raise an alert for each new urgent request."""
        records = await blocking(self.desk.queue.active)
        signature = json.dumps(
            [
                (r["id"], r["state"], r["priority"], r["holder"], r["crisis_at"], r["offered_to"])
                for r in records
            ],
            default=str,
        )
        for record in records:
            key = (record["id"], record["crisis_at"])
            if record["priority"] == "urgent" and key not in self.live.alerted:
                self.live.alerted.add(key)
                await self.live.broadcast(
                    {
                        "type": "alert",
                        "kind": "crisis" if record["crisis_at"] else "urgent",
                        "handoff_id": record["id"],
                        "conversation_id": record["conversation_id"],
                        "needs_line": self.view.needs_line(record),
                        "text": "Urgent: a caller may be in crisis. " + self.view.needs_line(record),
                    }
                )
        if signature != self.live.queue_signature:
            self.live.queue_signature = signature
            await self.live.broadcast({"type": "queue", "handoffs": [self.view.public(r) for r in records]})

    async def presence_changed(self) -> None:
        await self.live.broadcast(await self.presence_message())

    async def handle(self, event: ConversationEvent) -> None:
        record = await self.desk.caller_event(event)
        if record is None:
            return  # a conversation no advocate is involved in
        if event.kind == "typing":
            await self.live.broadcast(
                {"type": "typing", "conversation_id": event.conversation_id, "handoff_id": record["id"]}
            )
            return
        await self.live.broadcast(
            {
                "type": "turn",
                "conversation_id": event.conversation_id,
                "handoff_id": record["id"],
                "turn": event.turn.to_json() if event.turn else None,
            }
        )

    async def run(self) -> None:
        source = self.open_source()
        await blocking(source.skip_to_end)
        try:
            while True:
                try:
                    events = await blocking(source.new_events)
                    for event in events:
                        await self.handle(event)
                    if events:
                        # Every queue change comes with conversation events (an action, a console
                        # step, upkeep), so a quiet feed means an unchanged queue.
                        await self.refresh_queue()
                except asyncio.CancelledError:
                    raise
                except Exception:  # one bad event or a database hiccup must not stop the live feed
                    logger.exception("following the conversations failed; retrying")
                await asyncio.sleep(self.poll_seconds)
        finally:
            source.close()
