"""Messages waiting for a REST caller: what reaches a conversation between its requests.

Rasa's REST channel answers within each HTTP request, so words sent later (an
advocate's, through ``output_channel=latest``) would have nowhere to go. They wait
here until the integration collects them (``GET /webhooks/rest/outbox``), and are
forgotten after ``RETENTION`` if it never does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import engine_with_tables

RETENTION = timedelta(days=7)
MAX_TAKE = 100

metadata = sa.MetaData()

outbox = sa.Table(
    "wf_rest_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass
class Outbox:
    engine: sa.engine.Engine

    @classmethod
    def open(cls, url: str | None = None) -> Outbox:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def put(self, conversation_id: str, message: dict, now: datetime | None = None) -> None:
        now = now or datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            conn.execute(outbox.delete().where(outbox.c.created_at < now - RETENTION))
            conn.execute(
                outbox.insert().values(
                    conversation_id=conversation_id, message=json.dumps(message), created_at=now
                )
            )

    def take(self, conversation_id: str, limit: int = MAX_TAKE) -> list[dict]:
        """The waiting messages in order, each handed out once."""
        with self.engine.begin() as conn:
            rows = conn.execute(
                sa.select(outbox.c.id, outbox.c.message)
                .where(outbox.c.conversation_id == conversation_id)
                .order_by(outbox.c.id)
                .limit(limit)
            ).all()
            if rows:
                conn.execute(outbox.delete().where(outbox.c.id.in_([row.id for row in rows])))
        return [json.loads(row.message) for row in rows]
