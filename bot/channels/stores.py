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
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy.exc
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base

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
    def __init__(self, domain: Any = None, event_broker: Any = None, **_ignored: Any) -> None:
        super().__init__(domain=domain, host=tracker_database_url(), event_broker=event_broker)
        use_sqlite_pragmas(self.engine)
        # Rasa's engine would quote a failed statement's values (the conversation id, the event
        # with the caller's words) in the error, and so in the log.
        self.engine.hide_parameters = True

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
        return await self._patiently(
            "reading a conversation", lambda: _run(SQLTrackerStore.retrieve(self, sender_id))
        )

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._patiently(
            "reading a whole conversation",
            lambda: _run(SQLTrackerStore.retrieve_full_tracker(self, conversation_id)),
        )

    async def keys(self) -> list[str]:
        return await self._patiently("listing conversations", lambda: _run(SQLTrackerStore.keys(self)))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Rasa publishes a tracker's new events before it stores them. Here they are published
        # once stored: a retried write is never published twice, and a failed one never reaches
        # the console as if it were in the transcript.
        # The new events are those past the ones stored for the latest session: counted as
        # Rasa's own save counts them, not by reading the whole conversation back and rebuilding
        # it (that was a second retrieve on every save).
        stored = await self._patiently(
            "counting a conversation's events", lambda: self._stored_count(tracker)
        )
        await self._patiently("storing a conversation", lambda: _run(SQLTrackerStore.save(self, tracker)))
        new_events = list(itertools.islice(tracker.events, stored, None))
        if self.event_broker is not None and new_events:
            await self._publish(tracker.sender_id, new_events)

    def _stored_count(self, tracker: DialogueStateTracker) -> int:
        with self.session_scope() as session:
            return self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Nothing: ``save`` publishes the new events itself, after storing them."""

    async def _publish(self, sender_id: str, events: list[Event]) -> None:
        bodies = [{"sender_id": sender_id, **event.as_dict()} for event in events]
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
