"""Handoffs to a human advocate: one record per request, its states, and the audit log.

States (``bot`` is the conversation before and after a handoff, not a record)::

    waiting ──claim──► with_advocate ──hand_back──► returned_to_bot ──resolve──► resolved
       ▲                  │  │
       └────release───────┘  └──resolve──► resolved
    waiting / with_advocate ──abandon──► abandoned        waiting ──resolve──► resolved

Priorities: ``urgent`` (crisis), ``high`` (advocacy intake), ``normal``. Advocates
take urgent requests first, then the longest wait. Every change is written to the
audit log in the same transaction (who, what, when), so the log cannot disagree
with the records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from bot.config import app_database_url
from bot.db import as_utc, engine_with_tables
from bot.handoff import audit as audit_log
from bot.handoff.audit import write as audit_entry

PRIORITIES = ("urgent", "high", "normal")
STATES = ("waiting", "with_advocate", "returned_to_bot", "resolved", "abandoned")
OPEN_STATES = ("waiting", "with_advocate")
CLOSED_STATES = ("resolved", "abandoned")
DISPOSITIONS = (
    "referred",
    "information_given",
    "advocacy_case_opened",
    "crisis_handled",
    "abandoned",
    "other",
)
REASONS = ("caller_request", "fallback", "crisis", "advocacy_intake")
SYSTEM = "system"
MAX_NOTE_CHARS = 4000

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
    sa.Column("holder", sa.String(64)),
    # A transfer puts the conversation back in line for one colleague, or for anyone who speaks a language.
    sa.Column("offered_to", sa.String(64)),
    sa.Column("wanted_language", sa.String(8)),
    sa.Column("disposition", sa.String(32)),
    # The conversation is paused (Rasa's ConversationPaused) while this record is open.
    sa.Column("paused", sa.Boolean, nullable=False, default=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True)),
    sa.Column("returned_at", sa.DateTime(timezone=True)),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("abandoned_at", sa.DateTime(timezone=True)),
    sa.Column("crisis_at", sa.DateTime(timezone=True)),
    sa.Column("last_caller_at", sa.DateTime(timezone=True)),
    sa.Column("last_advocate_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

note = sa.Table(
    "wf_handoff_note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("handoff_id", sa.Integer, sa.ForeignKey("wf_handoff.id"), nullable=False, index=True),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

callback = sa.Table(
    "wf_callback_request",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False),
    sa.Column("phone", sa.String(32), nullable=False),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("channel", sa.String(64)),
    sa.Column("summary", sa.Text, nullable=False, default="{}"),
    sa.Column("status", sa.String(16), nullable=False, default="open"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True)),
    sa.Column("done_by", sa.String(64)),
)


class HandoffError(Exception):
    """A change the record's state does not allow; the message says why, for the advocate."""


class HandoffConflict(HandoffError):
    """Someone else changed the record first (another advocate claimed it).

    ``holder`` is the sign-in name of the advocate who holds it, when one does: the console
    shows colleagues their display name instead (``named``).
    """

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message.format(holder=holder))
        self.template, self.holder = message, holder

    def named(self, display_name: str) -> str:
        return self.template.format(holder=display_name)


def _note_text(text: str | None, when_empty: str) -> str:
    """A note as stored: trimmed, not empty, not longer than MAX_NOTE_CHARS."""
    text = (text or "").strip()
    if not text:
        raise HandoffError(when_empty)
    if len(text) > MAX_NOTE_CHARS:
        raise HandoffError(f"a note holds at most {MAX_NOTE_CHARS} characters")
    return text


def _rank(priority: str) -> int:
    return PRIORITIES.index(priority)


def _now(now: datetime | None) -> datetime:
    # In UTC: SQLite stores a datetime's wall time and drops its zone, so 9:00 New York would read back as 9:00 UTC.
    return as_utc(now) if now is not None else datetime.now(timezone.utc)


# Columns that hold JSON text; a record gives them back decoded.
JSON_COLUMNS = ("summary", "detail")


def _record(row: Any) -> dict:
    record = dict(row._mapping)
    for key, value in record.items():
        if isinstance(value, datetime):
            record[key] = as_utc(value)
        elif key in JSON_COLUMNS:
            record[key] = json.loads(value or "{}")
    return record


@dataclass
class HandoffQueue:
    engine: sa.engine.Engine

    @classmethod
    def open(cls, url: str | None = None) -> HandoffQueue:
        engine = engine_with_tables(metadata, url or app_database_url())
        audit_log.metadata.create_all(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- the caller's side (actions) ------------------------------------------------

    def request(
        self,
        conversation_id: str,
        reason: str,
        priority: str = "normal",
        channel: str | None = None,
        summary: dict | None = None,
        paused: bool = False,
        now: datetime | None = None,
        actor: str = SYSTEM,
    ) -> int:
        """Queue the conversation, or update its open request (a higher priority wins); returns its id."""
        if priority not in PRIORITIES:
            raise ValueError(f"unknown priority {priority!r}")
        now = _now(now)
        with self.engine.begin() as conn:
            existing = self._open_row(conn, conversation_id)
            if existing is not None:
                changes: dict[str, Any] = {"updated_at": now, "last_caller_at": now}
                if summary:
                    changes["summary"] = json.dumps({**json.loads(existing.summary or "{}"), **summary})
                if paused and not existing.paused:
                    changes["paused"] = True
                if reason == "crisis":
                    changes["crisis_at"] = now
                    self._audit(conn, now, actor, "crisis_reported", existing.id, conversation_id, {})
                if _rank(priority) < _rank(existing.priority):
                    changes.update(priority=priority, reason=reason)
                    self._audit(
                        conn,
                        now,
                        actor,
                        "priority_raised",
                        existing.id,
                        conversation_id,
                        {"from": existing.priority, "to": priority, "reason": reason},
                    )
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
                    paused=paused,
                    requested_at=now,
                    crisis_at=now if reason == "crisis" else None,
                    last_caller_at=now,
                    updated_at=now,
                )
            )
            handoff_id = int(result.inserted_primary_key[0])
            self._audit(
                conn,
                now,
                actor,
                "requested",
                handoff_id,
                conversation_id,
                {"reason": reason, "priority": priority, "channel": channel},
            )
            return handoff_id

    def caller_spoke(self, conversation_id: str, now: datetime | None = None) -> dict | None:
        """Note the caller's activity on their open request; the request, or None."""
        now = _now(now)
        with self.engine.begin() as conn:
            existing = self._open_row(conn, conversation_id)
            if existing is None:
                return None
            conn.execute(
                handoff.update().where(handoff.c.id == existing.id).values(last_caller_at=now, updated_at=now)
            )
        return self.get(int(existing.id))

    def callback(
        self,
        conversation_id: str,
        phone: str,
        consent: bool,
        channel: str | None = None,
        summary: dict | None = None,
        now: datetime | None = None,
    ) -> int:
        """Store a request to be called back; only with the caller's consent."""
        if not consent:
            raise HandoffError("a callback is stored only with the caller's consent")
        now = _now(now)
        with self.engine.begin() as conn:
            result = conn.execute(
                callback.insert().values(
                    conversation_id=conversation_id,
                    phone=phone,
                    consent=True,
                    channel=channel,
                    summary=json.dumps(summary or {}),
                    status="open",
                    created_at=now,
                )
            )
            callback_id = int(result.inserted_primary_key[0])
            self._audit(
                conn, now, SYSTEM, "callback_requested", None, conversation_id, {"callback": callback_id}
            )
            return callback_id

    def callbacks(self, status: str | None = "open") -> list[dict]:
        query = sa.select(callback).order_by(callback.c.created_at, callback.c.id)
        if status:
            query = query.where(callback.c.status == status)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def callback_done(self, callback_id: int, actor: str, now: datetime | None = None) -> None:
        now = _now(now)
        with self.engine.begin() as conn:
            done = conn.execute(
                callback.update()
                .where(callback.c.id == callback_id, callback.c.status == "open")
                .values(status="done", done_at=now, done_by=actor)
            )
            if not done.rowcount:
                raise HandoffError("that callback request is not open")
            self._audit(conn, now, actor, "callback_done", None, None, {"callback": callback_id})

    # -- reading --------------------------------------------------------------------

    def get(self, handoff_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(handoff).where(handoff.c.id == handoff_id)).first()
        return _record(row) if row is not None else None

    def open_for(self, conversation_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = self._open_row(conn, conversation_id)
        return _record(row) if row is not None else None

    def latest_for(self, conversation_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(handoff)
                .where(handoff.c.conversation_id == conversation_id)
                .order_by(handoff.c.id.desc())
                .limit(1)
            ).first()
        return _record(row) if row is not None else None

    def waiting(self) -> list[dict]:
        """Waiting requests in the order advocates should take them."""
        return [record for record in self.active() if record["state"] == "waiting"]

    def active(self) -> list[dict]:
        """Open requests (waiting, then held), urgent first, then the longest wait."""
        with self.engine.connect() as conn:
            rows = [
                _record(row)
                for row in conn.execute(sa.select(handoff).where(handoff.c.state.in_(OPEN_STATES)))
            ]
        return sorted(
            rows,
            key=lambda row: (
                row["state"] != "waiting",
                _rank(row["priority"]),
                row["requested_at"],
                row["id"],
            ),
        )

    def position(self, handoff_id: int) -> int:
        """1 for the next in line; 0 when not waiting."""
        for index, row in enumerate(self.waiting(), 1):
            if row["id"] == handoff_id:
                return index
        return 0

    def history(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        need: str | None = None,
        disposition: str | None = None,
        advocate: str | None = None,
        limit: int = 200,
    ) -> list[dict]:
        """Closed requests, newest first, filtered by date, need, disposition and advocate."""
        query = sa.select(handoff).where(handoff.c.state.in_(CLOSED_STATES))
        if since:
            query = query.where(handoff.c.requested_at >= as_utc(since))
        if until:
            query = query.where(handoff.c.requested_at < as_utc(until))
        if disposition:
            query = query.where(handoff.c.disposition == disposition)
        if advocate:
            query = query.where(handoff.c.holder == advocate)
        if need:
            # The summary is JSON text on both engines; the need code is a quoted word in it.
            query = query.where(handoff.c.summary.contains(json.dumps({"need": need})[1:-1], autoescape=True))
        query = query.order_by(handoff.c.requested_at.desc(), handoff.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def notes(self, handoff_id: int) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(note).where(note.c.handoff_id == handoff_id).order_by(note.c.created_at, note.c.id)
            )
            return [_record(row) for row in rows]

    # -- the advocate's side (console) ----------------------------------------------

    def claim(self, handoff_id: int, advocate: str, now: datetime | None = None) -> dict:
        """Take a waiting request; claiming one's own again is harmless."""
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            if row.state == "with_advocate" and row.holder == advocate:
                return _record(row)
            if row.state == "with_advocate":
                raise HandoffConflict("{holder} has already taken this conversation", row.holder)
            if row.state != "waiting":
                raise HandoffError(f"this conversation is {row.state.replace('_', ' ')}, not waiting")
            # The state in the WHERE makes two advocates claiming at once a conflict, not a double claim.
            changed = conn.execute(
                handoff.update()
                .where(handoff.c.id == handoff_id, handoff.c.state == "waiting")
                .values(
                    state="with_advocate",
                    holder=advocate,
                    offered_to=None,
                    wanted_language=None,
                    claimed_at=now,
                    last_advocate_at=now,
                    paused=True,
                    updated_at=now,
                )
            )
            if not changed.rowcount:
                raise HandoffConflict("someone else took this conversation first")
            self._audit(conn, now, advocate, "claimed", handoff_id, row.conversation_id, {})
        return self.get(handoff_id)

    def advocate_spoke(self, handoff_id: int, advocate: str, now: datetime | None = None) -> dict:
        """The holder sent a message; other advocates cannot speak in a held conversation."""
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._held_by(conn, handoff_id, advocate)
            self._apply(conn, row, now, advocate, "message_sent", last_advocate_at=now)
        return self.get(handoff_id)

    def release(
        self,
        handoff_id: int,
        actor: str,
        why: str,
        now: datetime | None = None,
        expected_holder: str | None = None,
    ) -> dict:
        """Put a held conversation back in line (the advocate left, went idle or chose to).

        With ``expected_holder``, only if that advocate still holds it (upkeep decided on
        an earlier read; someone may have claimed it since).
        """
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            if row.state != "with_advocate":
                raise HandoffError(f"this conversation is {row.state.replace('_', ' ')}, not held")
            holder = expected_holder or row.holder
            changed = conn.execute(
                handoff.update()
                .where(
                    handoff.c.id == handoff_id, handoff.c.state == "with_advocate", handoff.c.holder == holder
                )
                .values(state="waiting", holder=None, updated_at=now)
            )
            if not changed.rowcount:
                raise HandoffConflict("someone else holds this conversation now")
            self._audit(
                conn,
                now,
                actor,
                "released",
                handoff_id,
                row.conversation_id,
                {"from": row.holder, "why": why},
            )
        return self.get(handoff_id)

    def take_over(self, handoff_id: int, supervisor: str, now: datetime | None = None) -> dict:
        """A supervisor takes a held conversation from its holder, who may be stuck or gone."""
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            if row.state != "with_advocate":
                raise HandoffError(f"this conversation is {row.state.replace('_', ' ')}, not held")
            if row.holder == supervisor:
                return _record(row)
            changed = conn.execute(
                handoff.update()
                .where(
                    handoff.c.id == handoff_id,
                    handoff.c.state == "with_advocate",
                    handoff.c.holder == row.holder,
                )
                .values(holder=supervisor, last_advocate_at=now, updated_at=now)
            )
            if not changed.rowcount:
                raise HandoffConflict("the conversation changed meanwhile; look again")
            self._audit(
                conn, now, supervisor, "taken_over", handoff_id, row.conversation_id, {"from": row.holder}
            )
        return self.get(handoff_id)

    def transfer(
        self,
        handoff_id: int,
        advocate: str,
        note_text: str,
        to: str | None = None,
        language: str | None = None,
        now: datetime | None = None,
    ) -> dict:
        """Put a held conversation back in line for one colleague (``to``) or for anyone who
        speaks ``language``, with a note for whoever takes it; the conversation stays paused."""
        if (to is None) == (language is None):
            raise HandoffError("transfer to one colleague or to a language, not both or neither")
        if to == advocate:
            raise HandoffError("you already hold this conversation")
        text = _note_text(note_text, "a transfer needs a note for the colleague who takes it")
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._held_by(conn, handoff_id, advocate)
            changed = conn.execute(
                handoff.update()
                .where(
                    handoff.c.id == handoff_id,
                    handoff.c.state == "with_advocate",
                    handoff.c.holder == advocate,
                )
                .values(state="waiting", holder=None, offered_to=to, wanted_language=language, updated_at=now)
            )
            if not changed.rowcount:
                raise HandoffConflict("the conversation changed meanwhile; look again")
            conn.execute(
                note.insert().values(handoff_id=handoff_id, author=advocate, text=text, created_at=now)
            )
            self._audit(
                conn,
                now,
                advocate,
                "transferred",
                handoff_id,
                row.conversation_id,
                {"to": to, "language": language},
            )
        return self.get(handoff_id)

    def hand_back(self, handoff_id: int, advocate: str, now: datetime | None = None) -> dict:
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._held_by(conn, handoff_id, advocate)
            self._apply(
                conn,
                row,
                now,
                advocate,
                "handed_back",
                state="returned_to_bot",
                returned_at=now,
                paused=False,
            )
        return self.get(handoff_id)

    def resolve(self, handoff_id: int, advocate: str, disposition: str, now: datetime | None = None) -> dict:
        if disposition not in DISPOSITIONS:
            raise HandoffError(f"choose a disposition: {', '.join(DISPOSITIONS)}")
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            if row.state in CLOSED_STATES:
                raise HandoffError(f"this conversation is already {row.state}")
            if row.state == "with_advocate" and row.holder != advocate:
                raise HandoffConflict("{holder} holds this conversation", row.holder)
            self._apply(
                conn,
                row,
                now,
                advocate,
                "resolved",
                {"disposition": disposition, "from": row.state},
                state="resolved",
                disposition=disposition,
                resolved_at=now,
                paused=False,
                holder=row.holder or advocate,
            )
        return self.get(handoff_id)

    def abandon(
        self,
        handoff_id: int,
        actor: str,
        why: str,
        now: datetime | None = None,
        expected_state: str | None = None,
    ) -> dict:
        """The caller left: close the request without a conversation.

        With ``expected_state``, only if the record is still in it (see ``release``).
        """
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            if row.state not in OPEN_STATES:
                raise HandoffError(f"this conversation is {row.state.replace('_', ' ')}, not open")
            state = expected_state or row.state
            changed = conn.execute(
                handoff.update()
                .where(handoff.c.id == handoff_id, handoff.c.state == state)
                .values(
                    state="abandoned", disposition="abandoned", abandoned_at=now, paused=False, updated_at=now
                )
            )
            if not changed.rowcount:
                raise HandoffConflict("the conversation changed meanwhile")
            self._audit(conn, now, actor, "abandoned", handoff_id, row.conversation_id, {"why": why})
        return self.get(handoff_id)

    def add_note(self, handoff_id: int, author: str, text: str, now: datetime | None = None) -> dict:
        """A private note for advocates; callers never see it."""
        text = _note_text(text, "a note needs some text")
        now = _now(now)
        with self.engine.begin() as conn:
            row = self._row(conn, handoff_id)
            result = conn.execute(
                note.insert().values(handoff_id=handoff_id, author=author, text=text, created_at=now)
            )
            self._audit(conn, now, author, "note_added", handoff_id, row.conversation_id, {})
            note_id = int(result.inserted_primary_key[0])
        return {"id": note_id, "handoff_id": handoff_id, "author": author, "text": text, "created_at": now}

    # -- upkeep ---------------------------------------------------------------------

    def expire(
        self,
        advocate_idle: timedelta,
        caller_gone: timedelta,
        disconnect_grace: timedelta | None = None,
        last_seen: dict[str, datetime] | None = None,
        now: datetime | None = None,
    ) -> list[tuple[dict, str]]:
        """Release held conversations whose advocate is idle or gone; abandon waits the caller left.

        Only a paused wait is abandoned: the caller was waiting for a person and went
        quiet. A request the assistant kept answering (crisis, advocacy intake, out of
        hours) stays for the advocates. ``last_seen`` maps each advocate to when their
        console was last connected (now, while it is); a holder unseen for
        ``disconnect_grace`` is gone. Returns (record after the change, what happened) pairs.
        """
        now = _now(now)
        changes: list[tuple[dict, str]] = []
        for record in self.active():
            try:
                change = self._expired(record, advocate_idle, caller_gone, disconnect_grace, last_seen, now)
            except HandoffError:
                continue  # changed since active() read it (claimed, released): nothing to expire
            if change is not None:
                changes.append(change)
        return changes

    def _expired(
        self,
        record: dict,
        advocate_idle: timedelta,
        caller_gone: timedelta,
        disconnect_grace: timedelta | None,
        last_seen: dict[str, datetime] | None,
        now: datetime,
    ) -> tuple[dict, str] | None:
        if record["state"] == "waiting":
            last_caller = record["last_caller_at"] or record["requested_at"]
            if record["paused"] and now - last_caller >= caller_gone:
                abandoned = self.abandon(
                    record["id"], SYSTEM, "caller silent", now=now, expected_state="waiting"
                )
                return abandoned, "abandoned"
            return None
        last_step = record["last_advocate_at"] or record["claimed_at"]
        why = None
        if now - last_step >= advocate_idle:
            why = "advocate idle"
        elif disconnect_grace is not None and last_seen is not None:
            seen = max(last_seen.get(record["holder"]) or last_step, last_step)
            if now - seen >= disconnect_grace:
                why = "advocate disconnected"
        if why is None:
            return None
        released = self.release(record["id"], SYSTEM, why, now=now, expected_holder=record["holder"])
        return released, "released"

    # -- internals ------------------------------------------------------------------

    @staticmethod
    def _open_row(conn: sa.engine.Connection, conversation_id: str) -> Any:
        return conn.execute(
            sa.select(handoff)
            .where(handoff.c.conversation_id == conversation_id, handoff.c.state.in_(OPEN_STATES))
            .order_by(handoff.c.id.desc())
            .limit(1)
        ).first()

    @staticmethod
    def _row(conn: sa.engine.Connection, handoff_id: int) -> Any:
        row = conn.execute(sa.select(handoff).where(handoff.c.id == handoff_id)).first()
        if row is None:
            raise HandoffError(f"there is no handoff {handoff_id}")
        return row

    def _held_by(self, conn: sa.engine.Connection, handoff_id: int, advocate: str) -> Any:
        row = self._row(conn, handoff_id)
        if row.state != "with_advocate":
            raise HandoffError(f"this conversation is {row.state.replace('_', ' ')}; claim it first")
        if row.holder != advocate:
            raise HandoffConflict("{holder} holds this conversation", row.holder)
        return row

    def _apply(
        self,
        conn: sa.engine.Connection,
        row: Any,
        now: datetime,
        actor: str,
        action: str,
        detail: dict | None = None,
        **values: Any,
    ) -> None:
        """Change one record and write the audit entry, in the caller's transaction."""
        conn.execute(handoff.update().where(handoff.c.id == row.id).values(updated_at=now, **values))
        self._audit(conn, now, actor, action, row.id, row.conversation_id, detail or {})

    @staticmethod
    def _audit(
        conn: sa.engine.Connection,
        now: datetime,
        actor: str,
        action: str,
        handoff_id: int | None,
        conversation_id: str | None,
        detail: dict,
    ) -> None:
        audit_entry(conn, now, actor, action, handoff_id, conversation_id, detail)
