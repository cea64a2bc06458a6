"""Canned replies: short texts advocates insert into a message; supervisors and admins keep them."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import engine_with_tables

MAX_CANNED_CHARS = 2000

metadata = sa.MetaData()

canned = sa.Table(
    "wf_canned_response",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(80), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_by", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


class CannedError(ValueError):
    """A canned reply that cannot be saved, or is not there; the message says which."""


class CannedReplies:
    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> CannedReplies:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def close(self) -> None:
        self.engine.dispose()

    def all(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(canned).order_by(canned.c.title, canned.c.id))
            return [{"id": r.id, "title": r.title, "text": r.text} for r in rows]

    def save(self, author: str, title: str, text: str, canned_id: int | None = None) -> dict:
        title, text = (title or "").strip(), (text or "").strip()
        if not title or len(title) > 80:
            raise CannedError("a canned response needs a title of at most 80 characters")
        if not text or len(text) > MAX_CANNED_CHARS:
            raise CannedError(f"a canned response needs text of at most {MAX_CANNED_CHARS} characters")
        values = {
            "title": title,
            "text": text,
            "updated_by": author,
            "updated_at": datetime.now(timezone.utc),
        }
        with self.engine.begin() as conn:
            if canned_id is None:
                canned_id = int(conn.execute(canned.insert().values(**values)).inserted_primary_key[0])
            elif not conn.execute(canned.update().where(canned.c.id == canned_id).values(**values)).rowcount:
                raise CannedError("there is no such canned response")
        return {"id": canned_id, "title": title, "text": text}

    def delete(self, canned_id: int) -> None:
        with self.engine.begin() as conn:
            if not conn.execute(canned.delete().where(canned.c.id == canned_id)).rowcount:
                raise CannedError("there is no such canned response")
