"""Following Rasa's event broker, and turning Rasa events into the transcript advocates read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.db import engine_with_tables

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
