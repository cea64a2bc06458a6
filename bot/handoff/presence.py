"""Who is on shift: advocates signed in to the console and available, and the languages they speak.

The assistant tells callers whether a person can join now from this, not from the
clock: an advocate is on shift while signed in and marked available. Signing out, or a
console gone for longer than the upkeep's grace, makes them offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import as_utc, engine_with_tables

STATUSES = ("available", "away", "offline")
LANGUAGES = ("en", "es")

metadata = sa.MetaData()

presence = sa.Table(
    "wf_advocate_presence",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("languages", sa.Text, nullable=False, default='["en"]'),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


class PresenceError(ValueError):
    """A status or language the console does not know."""


@dataclass(frozen=True)
class AdvocatePresence:
    username: str
    status: str
    languages: tuple[str, ...]
    updated_at: datetime

    @property
    def on_shift(self) -> bool:
        return self.status == "available"

    def speaks(self, language: str) -> bool:
        return language in self.languages

    def to_json(self) -> dict:
        return {
            "username": self.username,
            "status": self.status,
            "languages": list(self.languages),
            "on_shift": self.on_shift,
            "updated_at": self.updated_at.isoformat(),
        }


def _presence(row: sa.Row) -> AdvocatePresence:
    return AdvocatePresence(
        username=row.username,
        status=row.status,
        languages=tuple(json.loads(row.languages or '["en"]')),
        updated_at=as_utc(row.updated_at),
    )


def offline(username: str) -> AdvocatePresence:
    """An advocate with no presence yet: never signed in since presence was kept."""
    return AdvocatePresence(username, "offline", ("en",), datetime.now(timezone.utc))


class Presence:
    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Presence:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def close(self) -> None:
        self.engine.dispose()

    def set(
        self,
        username: str,
        status: str | None = None,
        languages: list[str] | tuple[str, ...] | None = None,
        now: datetime | None = None,
    ) -> AdvocatePresence:
        """Change an advocate's status and/or languages; what is not given stays as it was."""
        if status is not None and status not in STATUSES:
            raise PresenceError(f"a status is one of {', '.join(STATUSES)}")
        if languages is not None:
            unknown = [code for code in languages if code not in LANGUAGES]
            if unknown or not languages:
                raise PresenceError(f"languages are some of {', '.join(LANGUAGES)}")
            languages = tuple(dict.fromkeys(languages))
        now = now or datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(presence).where(presence.c.username == username)).first()
            values = {
                "status": status or (row.status if row else "offline"),
                "languages": json.dumps(
                    list(languages) if languages else (json.loads(row.languages) if row else ["en"])
                ),
                "updated_at": now,
            }
            if row is None:
                conn.execute(presence.insert().values(username=username, **values))
            else:
                conn.execute(presence.update().where(presence.c.username == username).values(**values))
        return self.get(username)

    def get(self, username: str) -> AdvocatePresence:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(presence).where(presence.c.username == username)).first()
        return _presence(row) if row is not None else offline(username)

    def everyone(self) -> list[AdvocatePresence]:
        with self.engine.connect() as conn:
            return [_presence(row) for row in conn.execute(sa.select(presence).order_by(presence.c.username))]

    def available(self, language: str | None = None) -> list[AdvocatePresence]:
        """Advocates on shift now; with ``language``, only those who speak it."""
        return [
            advocate
            for advocate in self.everyone()
            if advocate.on_shift and (language is None or advocate.speaks(language))
        ]

    def go_offline(self, usernames: list[str] | set[str], now: datetime | None = None) -> list[str]:
        """Mark these advocates offline (signed out, or their console is gone); who changed."""
        changed = []
        for username in sorted(usernames):
            if self.get(username).status != "offline":
                self.set(username, "offline", now=now)
                changed.append(username)
        return changed
