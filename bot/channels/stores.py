"""Rasa's SQL tracker store and SQL event broker, pointed at Wayfinder's databases.

endpoints.yml names these classes, so the embedded default needs no settings:
trackers in ``var/tracker.sqlite3`` and broker events in ``var/events.sqlite3``;
with ``WAYFINDER_DATABASE_URL`` both move to that server (PostgreSQL). The
console reads the broker's table to see callers' messages as they arrive.

A message is never answered from an empty tracker, and never silently dropped:

- the SQLite files are in WAL mode (a write never blocks a read) with a busy
  timeout (a write waits for another's lock instead of failing at once);
- a read or write that still fails with a database error is tried again, twice,
  after a pause; then ``TrackerStoreUnavailable`` is raised;
- Rasa's agent wraps every tracker store in a ``FailSafeTrackerStore``, which
  catches any error, logs it, and carries on with an in-memory tracker: the
  caller is answered without their conversation and nothing is stored.
  ``refuse_in_memory_fallback`` makes that wrapper re-raise instead, so the
  error reaches the channel, which can tell the client to try again.

A turn does not cost more as the conversation grows (``tracker_cache.py``):

- each process keeps the conversations it read or wrote last, deserialised
  (``cached_conversations`` in endpoints.yml, 200 by default, least recently
  used first out; 0 turns it off). A read checks the cached entry against the
  database in one statement: the conversation's event count, and the events
  above the last id seen. Nothing new: the cached tracker, no event read.
  Events another replica (or process) stored since: only those are read and
  added. Anything else (a session started, an event below the last id committed
  late, a deleted one, so that the count does not add up): the conversation is
  read again. Every read hands out a tracker of its own (unpickled), which the
  caller may change without touching the cache or another caller's copy;
- a save appends the new events in one statement and one transaction (Rasa's
  inserts them one by one, after counting them twice), reads them back in that
  transaction for the cache, and counts nothing else when the cache is current;
- an event's class is looked up once per type name, not among every subclass
  of ``Event`` for every event read.

Which events a read returns, and which a save stores, are Rasa's to the event
(tests/channels/test_tracker_cache.py compares them with Rasa's
``SQLTrackerStore``): the latest session is every event stamped at or after the
latest ``session_started``; ``retrieve_full_tracker`` is every event. Rasa only
ever appends events; an event deleted by hand is caught by the count, except a
deletion of the newest event followed, on SQLite, by an insert that reuses its
id before this process reads again.

A save publishes its new events to the broker once they are stored, in the order
stored, off the turn: the broker's writer thread writes them soon after
(``publisher.py``), and the save does not wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import Session, declarative_base

from bot.channels.publisher import BackgroundPublisher
from bot.channels.tracker_cache import (
    DEFAULT_CACHED_CONVERSATIONS,
    SESSION_STARTED,
    UNBUILT,
    Entry,
    Row,
    TrackerCache,
    build,
    grow,
)
from bot.config import events_database_url, tracker_database_url
from bot.db import use_sqlite_pragmas
from bot.handoff.rasa_names import BROKER_TABLE

if TYPE_CHECKING:
    from rasa.core.agent import Agent

logger = logging.getLogger(__name__)

# Pauses before the second and third attempts. Each attempt may itself wait up to the busy
# timeout (bot.db.SQLITE_BUSY_TIMEOUT_MS) for a lock; the pauses cover errors that come at
# once (a connection refused, a lock SQLite will not wait for).
RETRY_PAUSES = (0.5, 1.5)
ATTEMPTS = 1 + len(RETRY_PAUSES)
# Errors of the database or the way to it, which may pass; any other error is raised at once.
PASSING_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError)

T = TypeVar("T")


class TrackerStoreUnavailable(RuntimeError):
    """The tracker database could not be read or written, even after retries.

    The message was not handled: nothing was answered from an empty conversation, and
    what was not stored must be sent again. A channel answers "try again shortly"."""


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    # Rasa's SQL store methods are coroutines in name only: plain blocking SQLAlchemy calls.
    # Run here, in a worker thread, a locked database waits there rather than on the server's
    # event loop, where every other caller's turn and the channels' crisis timer run.
    return asyncio.run(coroutine)


class WayfinderTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Any = None,
        event_broker: Any = None,
        cached_conversations: int | str = DEFAULT_CACHED_CONVERSATIONS,
        **_ignored: Any,
    ) -> None:
        # endpoints.yml's `cached_conversations` (a ${VARIABLE} there arrives as text).
        self._cache_size = int(cached_conversations)
        self._cache = TrackerCache(self._cache_size)
        super().__init__(domain=domain, host=tracker_database_url(), event_broker=event_broker)
        use_sqlite_pragmas(self.engine)
        # Rasa's engine would quote a failed statement's values (the conversation id, the event
        # with the caller's words) in the error, and so in the log.
        self.engine.hide_parameters = True

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        # A new model's domain may have other slots: trackers are rebuilt with them. A read
        # under way keeps the old cache object, which is dropped with it.
        self._domain = domain or Domain.empty()
        self._cache = TrackerCache(self._cache_size)

    async def _patiently(self, doing: str, work: Callable[[], T]) -> T:
        failure: Exception | None = None
        for attempt, pause in enumerate((0.0, *RETRY_PAUSES), start=1):
            await asyncio.sleep(pause)
            try:
                return await asyncio.to_thread(work)
            except PASSING_ERRORS as error:
                failure = error
                # The driver's message only: SQLAlchemy's own text quotes the statement and its values.
                logger.warning(
                    "tracker store: %s failed (attempt %d of %d): %s", doing, attempt, ATTEMPTS, error.orig
                )
        raise TrackerStoreUnavailable(f"the tracker store failed {doing} {ATTEMPTS} times") from failure

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._patiently("reading a conversation", lambda: self._tracker(sender_id, whole=False))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._patiently(
            "reading a whole conversation", lambda: self._tracker(conversation_id, whole=True)
        )

    async def keys(self) -> list[str]:
        return await self._patiently("listing conversations", lambda: _run(SQLTrackerStore.keys(self)))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Rasa publishes a tracker's new events before it stores them. Here they are published
        # once stored: a retried write is never published twice, and a failed one never reaches
        # the console as if it were in the transcript.
        stored = await self._patiently("storing a conversation", lambda: self._store(tracker))
        new_events = list(itertools.islice(tracker.events, stored, None))
        if self.event_broker is not None and new_events:
            await self._publish(tracker.sender_id, new_events)

    # --- in a worker thread ----------------------------------------------------------

    @contextlib.contextmanager
    def _session(self) -> Iterator[Session]:
        # Rasa's session_scope, on one connection for the whole block (a read after a commit
        # does not open another), and a ValueError inside (an event type this Rasa does not
        # know) is raised, not turned into an exit of the whole server.
        with self.engine.connect() as connection:
            session = Session(bind=connection)
            try:
                ensure_schema_exists(session)
                yield session
            finally:
                session.close()

    def _tracker(self, sender_id: str, whole: bool) -> DialogueStateTracker | None:
        cache = self._cache
        with self._session() as session:
            key, entry, tracker = self._sync(session, cache, sender_id, whole)
        cache.put(key, entry)
        return entry.tracker() if tracker is UNBUILT else tracker

    def _store(self, tracker: DialogueStateTracker) -> int:
        """Append the tracker's new events in one transaction, in one statement; returns how many
        were stored before (the latest session's, as Rasa's save counts them)."""
        cache = self._cache
        sender_id = tracker.sender_id
        with self._session() as session:
            if not cache.size:  # no cache: count, as Rasa does, rather than build a tracker nobody keeps
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            else:
                key, entry, _ = self._sync(session, cache, sender_id, whole=False)
                stored = entry.rows_in_view
            new_events = list(itertools.islice(tracker.events, stored, None))
            if new_events:
                session.execute(
                    self.SQLEvent.__table__.insert(), [_stored_row(sender_id, event) for event in new_events]
                )
                # The write lock (SQLite's is the whole file) is held for the insert only.
                session.commit()
            if cache.size and new_events:
                # The cache learns what was stored as another replica's read would: these
                # events, and any stored meanwhile, read back (unpickling and pickling out of
                # the write transaction).
                try:
                    key, entry, _ = self._sync(session, cache, sender_id, whole=False, known=entry)
                except Exception as error:
                    # Stored: failing now would have the turn retried (handled twice), and its
                    # events never published. The next read reads the conversation again.
                    logger.warning(
                        "tracker store: reading back a stored turn failed: %s",
                        getattr(error, "orig", None) or type(error).__name__,
                    )
                    cache.drop(key)
                    return stored
        if cache.size:
            cache.put(key, entry)
        return stored

    def _sync(
        self, session: Any, cache: TrackerCache, sender_id: str, whole: bool, known: Entry | None = None
    ) -> tuple[tuple[str, bool], Entry, Any]:
        """The conversation's view as the database holds it, in one statement when the cached
        entry is current (nothing read but a count), or only the events stored since when it is
        not; the whole conversation again when anything else changed (a session started, or
        events the entry knew of are gone). Returns the entry and a tracker built on the way
        (``UNBUILT`` when none was)."""
        key = (sender_id, whole)
        entry = known or cache.get(key)
        slots = self.domain.slots
        keep = cache.size > 0
        if entry is not None and entry.cacheable:
            count, rows = self._read(session, sender_id, entry.last_id)
            if count == entry.count and not rows:
                return key, entry, UNBUILT
            if count == entry.count + len(rows) and (
                whole or all(r.type_name != SESSION_STARTED for r in rows)
            ):
                return (key, *grow(entry, sender_id, slots, count, rows, keep))
        count, rows = self._read(session, sender_id, None)
        return (key, *build(sender_id, slots, count, rows, whole, keep))

    def _read(self, session: Any, sender_id: str, after: int | None) -> tuple[int, list[Row]]:
        """How many events the conversation has, and those with an id above ``after`` (all, for
        ``None``), in id order: one statement, so both come from one snapshot of the database."""
        found = session.execute(
            _READ, {"sender_id": sender_id, "after": -1 if after is None else after}
        ).all()
        count = found[0][0] if found else 0
        return count, [Row(*row[1:]) for row in found if row[1] is not None]

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Nothing: ``save`` publishes the new events itself, after storing them."""

    async def _publish(self, sender_id: str, events: list[Event]) -> None:
        bodies = [{"sender_id": sender_id, **event.as_dict()} for event in events]
        publish_later = getattr(self.event_broker, "publish_later", None)
        if publish_later is not None:
            publish_later(bodies)
            return
        publish_all = getattr(self.event_broker, "publish_all", None)
        try:
            if publish_all is not None:
                await self._patiently("publishing events", lambda: publish_all(bodies))
            else:
                await self._patiently(
                    "publishing events",
                    lambda: _run(self._stream_new_events(self.event_broker, events, sender_id)),
                )
        except TrackerStoreUnavailable:
            # The conversation is stored; failing the turn now would have the client send the
            # message again, and the assistant handle it twice. The console misses these events
            # in its live view only (the transcript has them).
            logger.exception("tracker store: %d stored events could not be published", len(events))


def _read_statement() -> sa.sql.Select:
    # SELECT c.n, e.id, e.type_name, e.timestamp, e.data
    # FROM (SELECT count(*) AS n FROM events WHERE sender_id = :sender_id) AS c
    # LEFT OUTER JOIN events AS e ON e.sender_id = :sender_id AND e.id > :after ORDER BY e.id
    events = SQLTrackerStore.SQLEvent.__table__
    sender_id = sa.bindparam("sender_id", type_=events.c.sender_id.type)
    counted = sa.select(sa.func.count().label("n")).where(events.c.sender_id == sender_id).subquery("c")
    newer = sa.and_(events.c.sender_id == sender_id, events.c.id > sa.bindparam("after", type_=sa.Integer))
    return (
        sa.select(counted.c.n, events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
        .select_from(counted.outerjoin(events, newer))
        .order_by(events.c.id)
    )


_READ = _read_statement()


def _stored_row(sender_id: str, event: Event) -> dict[str, Any]:
    """An event as Rasa's save stores it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _reraise(error: Exception) -> None:
    raise error


def refuse_in_memory_fallback(agent: Agent) -> None:
    """Make ``agent``'s tracker store raise its errors instead of falling back to memory.

    Rasa's ``Agent`` always wraps the configured store in a ``FailSafeTrackerStore`` and gives
    it no ``on_tracker_store_error``; the wrapper then logs any error, returns no tracker (the
    processor starts a new, empty one) and saves to memory. Its documented hook, a callback
    called with the error, is the one place to change that without replacing Rasa's classes:
    a callback that re-raises lets the error out of ``retrieve`` and ``save`` before the
    fallback. Rasa keeps the callback in a private attribute; a Rasa that no longer has it
    fails here, loudly, at the first message. Idempotent (channels call it for every message,
    so a model loaded later through the HTTP API is covered too)."""
    store = agent.tracker_store
    if not isinstance(store, FailSafeTrackerStore):
        return
    if not hasattr(store, "_on_tracker_store_error"):
        raise RuntimeError("this Rasa's FailSafeTrackerStore has no _on_tracker_store_error to set")
    store._on_tracker_store_error = _reraise


class WayfinderEventBroker(SQLEventBroker):
    # Its own table name: on a shared PostgreSQL database, the tracker store already owns "events".
    Base = declarative_base()

    class SQLBrokerEvent(Base):
        __tablename__ = BROKER_TABLE
        id = Column(Integer, primary_key=True)
        sender_id = Column(String(255), index=True)
        data = Column(Text)

    def __init__(self, **_ignored: Any) -> None:
        super().__init__(host=events_database_url())
        use_sqlite_pragmas(self.engine)
        self.engine.hide_parameters = True
        self.publisher = BackgroundPublisher(self.publish_all, PASSING_ERRORS)

    def publish_later(self, events: list[dict[str, Any]]) -> None:
        """A turn's new events, written off the turn, in order (``publisher.py``)."""
        self.publisher.publish(events)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every event handed to ``publish_later`` is written."""
        return self.publisher.flush(timeout)

    def publish_all(self, events: list[dict[str, Any]]) -> None:
        """A turn's new events in one transaction, in order: one commit, not one per event
        (Rasa's ``publish``), so that a turn waits for the disk once."""
        with self.session_scope() as session:
            session.add_all(
                [
                    self.SQLBrokerEvent(sender_id=event.get("sender_id"), data=json.dumps(event))
                    for event in events
                ]
            )
            session.commit()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Any = None
    ) -> WayfinderEventBroker:
        return cls()
