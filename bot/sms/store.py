"""What the SMS channel remembers, in the app database (shared by every Rasa process).

- ``wf_sms_opt_out``: numbers that texted STOP (and when), kept after START
  with ``opted_out`` false, as a record of consent;
- ``wf_sms_seen_message``: Twilio ``MessageSid``s already handled, so that a
  webhook Twilio retries is answered once; the primary key makes this hold
  across processes;
- ``wf_sms_menu``: the last numbered choices offered to each number.

Each change is one conditional statement, so two webhooks racing (two STOPs,
one sid delivered twice) cannot both win.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import engine_with_tables

SEEN_RETENTION = timedelta(days=3)  # Twilio retries within minutes; a few days is ample.
PRUNE_EVERY = timedelta(hours=1)

metadata = sa.MetaData()

opt_out = sa.Table(
    "wf_sms_opt_out",
    metadata,
    sa.Column("phone", sa.String(64), primary_key=True),
    sa.Column("opted_out", sa.Boolean, nullable=False),
    sa.Column("keyword", sa.String(32), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

seen_message = sa.Table(
    "wf_sms_seen_message",
    metadata,
    sa.Column("message_sid", sa.String(64), primary_key=True),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

menu = sa.Table(
    "wf_sms_menu",
    metadata,
    sa.Column("phone", sa.String(64), primary_key=True),
    sa.Column("options", sa.Text, nullable=False),
    sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


@dataclass
class SmsStore:
    engine: sa.engine.Engine
    _pruned_at: datetime | None = field(default=None, repr=False)

    @classmethod
    def open(cls, url: str | None = None) -> SmsStore:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ MessageSid

    def first_time(self, message_sid: str, now: datetime | None = None) -> bool:
        """Record the sid; False when it was recorded before (a retried webhook)."""
        now = _now(now)
        try:
            with self.engine.begin() as conn:
                conn.execute(seen_message.insert().values(message_sid=message_sid, seen_at=now))
        except sa.exc.IntegrityError:
            return False
        self._prune(now)
        return True

    def _prune(self, now: datetime) -> None:
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        with self.engine.begin() as conn:
            conn.execute(seen_message.delete().where(seen_message.c.seen_at < now - SEEN_RETENTION))

    # ------------------------------------------------------------ opt-out

    def is_opted_out(self, phone: str) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(sa.select(opt_out.c.opted_out).where(opt_out.c.phone == phone)).scalar())

    def opt_out(self, phone: str, keyword: str, now: datetime | None = None) -> bool:
        """Opt the number out; True when this changed anything (so exactly one confirmation is sent)."""
        return self._set(phone, True, keyword, _now(now))

    def opt_in(self, phone: str, keyword: str, now: datetime | None = None) -> bool:
        """Opt the number back in; True when it was opted out."""
        return self._set(phone, False, keyword, _now(now))

    def _set(self, phone: str, opted_out: bool, keyword: str, now: datetime) -> bool:
        values = {"opted_out": opted_out, "keyword": keyword.upper()[:32], "changed_at": now}
        with self.engine.begin() as conn:
            changed = conn.execute(
                opt_out.update()
                .where(opt_out.c.phone == phone, opt_out.c.opted_out == (not opted_out))
                .values(**values)
            ).rowcount
        if changed or not opted_out:
            # Opting in a number never opted out changes nothing worth recording.
            return bool(changed)
        try:
            with self.engine.begin() as conn:
                conn.execute(opt_out.insert().values(phone=phone, **values))
        except sa.exc.IntegrityError:
            return False  # already opted out, by this STOP's twin or an earlier one
        return True

    # ------------------------------------------------------------ numbered menus

    def set_menu(self, phone: str, options: dict[str, str], now: datetime | None = None) -> None:
        values = {"options": json.dumps(options), "offered_at": _now(now)}
        with self.engine.begin() as conn:
            if conn.execute(menu.update().where(menu.c.phone == phone).values(**values)).rowcount:
                return
        try:
            with self.engine.begin() as conn:
                conn.execute(menu.insert().values(phone=phone, **values))
        except sa.exc.IntegrityError:
            with self.engine.begin() as conn:
                conn.execute(menu.update().where(menu.c.phone == phone).values(**values))

    def menu(self, phone: str) -> dict[str, str]:
        with self.engine.connect() as conn:
            options = conn.execute(sa.select(menu.c.options).where(menu.c.phone == phone)).scalar()
        return json.loads(options) if options else {}

    def clear_menu(self, phone: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(menu.delete().where(menu.c.phone == phone))
