"""Conversations held by a Rasa server: its HTTP API to read and speak, its SQL event broker to follow.

This is the only module of the handoff desk that knows Rasa's event JSON; the names it
relies on are in ``bot.handoff.rasa_names``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.db import engine_with_tables
from bot.handoff.conversations import ConversationEvent, Turn
from bot.handoff.rasa_http import RasaClient
from bot.handoff.rasa_names import (
    BROKER_TABLE,
    CALLER_LEFT,
    CALLER_TYPING,
    CRISIS_INTENT,
    HANDED_BACK_INTENT,
    is_external,
)
from bot.messages import Payload

metadata = sa.MetaData()
broker_events = sa.Table(
    BROKER_TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("data", sa.Text),
)


def _at(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(float(timestamp), timezone.utc).isoformat()


def _intent(event: dict) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def turn(event: dict) -> Turn | None:
    """A caller, assistant or advocate message; None for events that are not one (and for
    intents a program triggered, which no caller typed)."""
    kind = event.get("event")
    if kind == "user":
        text = event.get("text") or ""
        intent = _intent(event)
        if is_external(intent, text):
            return None
        if text.startswith("/") and intent and text[1:].startswith(intent):
            # A button press: show what the caller chose, not the payload syntax.
            text = f"[chose {intent.replace('_', ' ')}]"
        return Turn(who="caller", text=text, intent=intent, at=_at(event.get("timestamp")))
    if kind == "bot":
        data = event.get("data") or {}
        custom = data.get("custom")
        advocate = (event.get("metadata") or {}).get("advocate_name")
        if isinstance(custom, dict) and custom.get("type") == "advocate_message":
            advocate = advocate or custom.get("advocate")
        return Turn(
            who="advocate" if advocate else "assistant",
            advocate=advocate,
            text=event.get("text") or "",
            custom=custom if isinstance(custom, dict) else None,
            buttons=tuple(
                button.get("title") for button in data.get("buttons") or [] if isinstance(button, dict)
            ),
            at=_at(event.get("timestamp")),
        )
    return None


def transcript(events: list[dict]) -> list[Turn]:
    return [message for message in map(turn, events) if message is not None]


def conversation_event(conversation_id: str, event: dict) -> ConversationEvent | None:
    kind = event.get("event")
    if kind == CALLER_TYPING:
        return ConversationEvent(conversation_id, "typing")
    if kind == CALLER_LEFT:
        return ConversationEvent(
            conversation_id, "left", Turn(who="caller", text="[left the chat]", left=True)
        )
    message = turn(event)
    if message is None:
        return None
    crisis = kind == "user" and _intent(event) == CRISIS_INTENT
    return ConversationEvent(conversation_id, "turn", message, crisis=crisis)


@dataclass
class BrokerFollower:
    """Reads new rows of Rasa's SQL event broker in order; starts at the end, since the console
    shows history from trackers."""

    url: str
    cursor: int = 0
    limit: int = 500
    engine: sa.engine.Engine = field(init=False)

    def __post_init__(self) -> None:
        self.engine = engine_with_tables(metadata, self.url)

    def skip_to_end(self) -> None:
        with self.engine.connect() as conn:
            self.cursor = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(broker_events.c.id), 0))
            ).scalar_one()

    def new_events(self) -> list[ConversationEvent]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(broker_events)
                .where(broker_events.c.id > self.cursor)
                .order_by(broker_events.c.id)
                .limit(self.limit)
            ).all()
        found = []
        for row in rows:
            self.cursor = row.id
            try:
                event = json.loads(row.data)
            except (TypeError, json.JSONDecodeError):
                continue
            sender = row.sender_id or event.get("sender_id")
            happened = conversation_event(sender, event) if sender else None
            if happened is not None:
                found.append(happened)
        return found

    def close(self) -> None:
        self.engine.dispose()


class RasaConversations:
    """The handoff desk's Conversations over a Rasa server's HTTP API and its event broker."""

    def __init__(self, base_url: str, jwt_secret: str, broker_url: str) -> None:
        self.client = RasaClient(base_url, jwt_secret)
        self.broker_url = broker_url

    async def transcript(self, conversation_id: str) -> list[Turn]:
        tracker = await self.client.tracker(conversation_id)
        return transcript(tracker.get("events") or [])

    async def say(
        self, conversation_id: str, text: str, payload: Payload, advocate_name: str | None = None
    ) -> None:
        # Rasa merges a bot event's metadata into the message every channel gets (the REST outbox
        # keeps it whole): the name callers see, never the advocate's sign-in name.
        metadata = {"advocate_name": advocate_name} if advocate_name else {}
        await self.client.say(conversation_id, text, payload.to_json(), metadata)

    async def pause(self, conversation_id: str) -> None:
        await self.client.pause(conversation_id)

    async def resume(self, conversation_id: str) -> None:
        await self.client.resume(conversation_id)

    async def hand_back(self, conversation_id: str) -> None:
        await self.resume(conversation_id)
        await self.client.trigger_intent(conversation_id, HANDED_BACK_INTENT)

    def follow(self) -> BrokerFollower:
        return BrokerFollower(self.broker_url)

    async def close(self) -> None:
        await self.client.close()
