"""The queue of conversations waiting for a human advocate.

One record per request, with its state, priority (``urgent`` for crisis, then
``high``, ``normal``), reason, channel and a summary of what the assistant
learned, so that the advocate does not ask again. Urgent requests go first;
within a priority, the longest wait goes first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import engine_with_tables

PRIORITIES = ("urgent", "high", "normal")
OPEN_STATES = ("waiting", "with_advocate")

metadata = sa.MetaData()

handoff = sa.Table(
    "wf_handoff",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("state", sa.String(32), nullable=False, index=True),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(64)),
    sa.Column("summary", sa.Text, nullable=False, default="{}"),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _rank(priority: str) -> int:
    return PRIORITIES.index(priority)


@dataclass
class HandoffQueue:
    engine: sa.engine.Engine

    @classmethod
    def open(cls, url: str | None = None) -> HandoffQueue:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def request(
        self,
        conversation_id: str,
        reason: str,
        priority: str = "normal",
        channel: str | None = None,
        summary: dict | None = None,
        now: datetime | None = None,
    ) -> int:
        """Queue the conversation (or raise the priority of its open request); returns its id."""
        if priority not in PRIORITIES:
            raise ValueError(f"unknown priority {priority!r}")
        now = now or datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            existing = conn.execute(
                sa.select(handoff).where(
                    handoff.c.conversation_id == conversation_id, handoff.c.state.in_(OPEN_STATES)
                )
            ).first()
            if existing is not None:
                changes = {"updated_at": now, "summary": json.dumps(summary or json.loads(existing.summary))}
                if _rank(priority) < _rank(existing.priority):
                    changes.update(priority=priority, reason=reason)
                conn.execute(handoff.update().where(handoff.c.id == existing.id).values(**changes))
                return int(existing.id)
            result = conn.execute(
                handoff.insert().values(
                    conversation_id=conversation_id,
                    state="waiting",
                    priority=priority,
                    reason=reason,
                    channel=channel,
                    summary=json.dumps(summary or {}),
                    requested_at=now,
                    updated_at=now,
                )
            )
            return int(result.inserted_primary_key[0])

    def waiting(self) -> list[dict]:
        """Waiting requests in the order advocates should take them."""
        with self.engine.connect() as conn:
            rows = [
                dict(row._mapping)
                for row in conn.execute(sa.select(handoff).where(handoff.c.state == "waiting"))
            ]
        for row in rows:
            row["summary"] = json.loads(row["summary"])
        return sorted(rows, key=lambda row: (_rank(row["priority"]), row["requested_at"], row["id"]))

    def position(self, handoff_id: int) -> int:
        """1 for the next in line."""
        for index, row in enumerate(self.waiting(), 1):
            if row["id"] == handoff_id:
                return index
        return 0
