"""The audit log: who did what, when, to which handoff, account or canned reply.

Queue steps write their entry in the same transaction as the change (``write``); a
change elsewhere (sign-in, accounts, canned replies) goes through ``AuditLog.record``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import as_utc, engine_with_tables

metadata = sa.MetaData()

audit = sa.Table(
    "wf_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("handoff_id", sa.Integer, index=True),
    sa.Column("conversation_id", sa.String(255)),
    sa.Column("detail", sa.Text, nullable=False, default="{}"),
)


def write(
    conn: sa.engine.Connection,
    at: datetime,
    actor: str,
    action: str,
    handoff_id: int | None = None,
    conversation_id: str | None = None,
    detail: dict | None = None,
) -> None:
    """One entry, in the caller's transaction."""
    conn.execute(
        audit.insert().values(
            at=at,
            actor=actor,
            action=action,
            handoff_id=handoff_id,
            conversation_id=conversation_id,
            detail=json.dumps(detail or {}),
        )
    )


def _entry(row: sa.Row) -> dict:
    entry = dict(row._mapping)
    entry["at"] = as_utc(entry["at"])
    entry["detail"] = json.loads(entry["detail"] or "{}")
    return entry


class AuditLog:
    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> AuditLog:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def close(self) -> None:
        self.engine.dispose()

    def record(
        self,
        actor: str,
        action: str,
        detail: dict | None = None,
        handoff_id: int | None = None,
        conversation_id: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """An entry for a change outside the queue (accounts, sign-in, canned replies)."""
        with self.engine.begin() as conn:
            write(conn, now or datetime.now(timezone.utc), actor, action, handoff_id, conversation_id, detail)

    def entries(self, handoff_id: int | None = None, limit: int = 500) -> list[dict]:
        """Newest first; only one handoff's with ``handoff_id``."""
        query = sa.select(audit).order_by(audit.c.id.desc()).limit(limit)
        if handoff_id is not None:
            query = query.where(audit.c.handoff_id == handoff_id)
        with self.engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]
