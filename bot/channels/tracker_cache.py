"""Deserialised trackers kept between turns, for ``WayfinderTrackerStore`` (``stores.py``).

Rasa's SQL store rebuilds a conversation on every read: each stored event of the session is
read, parsed as JSON, turned back into an ``Event`` (looking its class up among every subclass
of ``Event``) and replayed into a new tracker, so a turn costs more the longer the conversation.
Here a process keeps, per conversation, what it last read or wrote:

- **An entry per conversation and view** (the latest session, as ``retrieve`` returns it, or
  every session, as ``retrieve_full_tracker`` does): how many events the database held for the
  conversation and the highest event id then (``count``, ``last_id``), the latest session's start,
  how many stored rows the view has (what Rasa's ``save`` counts to find the new events), and the
  tracker, pickled. Entries are never changed, only replaced, so threads can share them.
- **Handing a tracker out unpickles it**: every caller gets its own object, which it may change
  at will (Rasa's processor does) without touching the cache or another caller's copy. An
  unpickle costs about a twentieth of a replay and a tenth of ``copy.deepcopy``
  (``bench/tracker_store.py``). The pickles are made here, from events read back from the
  database, never from anything a caller passed in, and are never written anywhere.
- **Bounded**: the least recently used entries go first (``cached_conversations`` in
  ``endpoints.yml``, 200 by default; 0 turns the cache off).

Which events a view holds follows Rasa's query exactly: the latest session is every event
whose timestamp is at or after the latest ``session_started`` event's (all events when there is
none), in id order. How the store checks an entry against the database is in ``stores.py``.
"""

from __future__ import annotations

import json
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DEFAULT_CACHED_CONVERSATIONS = 200
SESSION_STARTED = SessionStarted.type_name
UNBUILT = object()  # no tracker was built on the way: unpickle the entry's


class Row(NamedTuple):
    """One stored event, as the ``events`` table has it."""

    id: int
    type_name: str
    timestamp: float | None
    data: str


@dataclass(frozen=True)
class Entry:
    """What a view of one conversation looked like when this process last read or wrote it."""

    count: int  # the conversation's stored events, every session
    last_id: int | None  # the highest of their ids
    # The latest session_started's timestamp (None: no session start, or the view of every session).
    session_start: float | None
    rows_in_view: int  # stored rows in this view: what Rasa's save counts
    pickled: bytes | None  # the view's tracker; None when the view holds no rows
    cacheable: bool = True  # False: pickle could not copy the tracker, which is not kept

    def tracker(self) -> DialogueStateTracker | None:
        """A tracker of the caller's own: no one else holds any of its objects."""
        return pickle.loads(self.pickled) if self.pickled is not None else None


# --- events --------------------------------------------------------------------------

_event_classes: dict[str, type[Event] | None] = {}


def event_class(type_name: str) -> type[Event] | None:
    """``Event.resolve_by_type``, remembered: Rasa walks every subclass of ``Event`` for each
    event it reads. The first answer for a name is kept (a subclass imported later with a name
    already seen is not looked for); an unknown name raises, as Rasa's does, and is not kept."""
    try:
        return _event_classes[type_name]
    except KeyError:
        found = Event.resolve_by_type(type_name)
        _event_classes[type_name] = found
        return found


def deserialise(parameters: Iterable[dict[str, Any]]) -> list[Event]:
    """``rasa.shared.core.events.deserialise_events``, with the class lookup remembered."""
    events = []
    for event_parameters in parameters:
        if "event" not in event_parameters:
            continue
        name = event_parameters.get("event")
        cls = event_class(name) if name is not None else None
        event = cls._from_parameters(event_parameters) if cls is not None else None
        if event:
            events.append(event)
        else:
            # Not the event itself: it holds the caller's words.
            logger.warning("tracker store: an event of type %r could not be read; left out", name)
    return events


def in_view(timestamp: float | None, session_start: float | None) -> bool:
    """Rasa's filter for the latest session: ``timestamp >= session_start OR session_start IS NULL``
    (a NULL timestamp compares as unknown, and is left out)."""
    return session_start is None or (timestamp is not None and timestamp >= session_start)


def latest_session_start(rows: Iterable[Row]) -> float | None:
    """``max(timestamp)`` of the session_started rows, as SQL computes it (NULLs ignored)."""
    return max(
        (row.timestamp for row in rows if row.type_name == SESSION_STARTED and row.timestamp is not None),
        default=None,
    )


_unpicklable_logged = False


def _entry(
    count: int,
    last_id: int | None,
    start: float | None,
    rows: int,
    tracker: DialogueStateTracker | None,
    keep: bool,
) -> Entry:
    """The entry, its tracker pickled now; not cacheable when nothing is kept (a cache of size 0)
    or pickle cannot copy the tracker (a custom slot type holding something unpicklable, say)."""
    global _unpicklable_logged
    if not keep:
        return Entry(count, last_id, start, rows, None, cacheable=False)
    try:
        pickled = pickle.dumps(tracker, protocol=pickle.HIGHEST_PROTOCOL) if tracker is not None else None
    except Exception as error:
        if not _unpicklable_logged:
            _unpicklable_logged = True
            logger.warning(
                "tracker store: a tracker cannot be pickled (%s); such trackers are not cached", error
            )
        return Entry(count, last_id, start, rows, None, cacheable=False)
    return Entry(count, last_id, start, rows, pickled)


def build(
    sender_id: str, slots: Sequence[Any], count: int, rows: Sequence[Row], whole: bool, keep: bool = True
) -> tuple[Entry, DialogueStateTracker | None]:
    """The entry for ``rows``, every stored event of the conversation in id order, and a tracker
    for the caller (the entry's own is pickled before the caller gets it)."""
    start = None if whole else latest_session_start(rows)
    view = [row for row in rows if in_view(row.timestamp, start)]
    tracker = None
    if view:
        events = deserialise(json.loads(row.data) for row in view)
        tracker = DialogueStateTracker.from_events(sender_id, events, slots)
    last_id = rows[-1].id if rows else None
    return _entry(count, last_id, start, len(view), tracker, keep), tracker


def grow(
    entry: Entry, sender_id: str, slots: Sequence[Any], count: int, rows: Sequence[Row], keep: bool = True
) -> tuple[Entry, Any]:
    """``entry`` with ``rows`` added: events stored after it which, in the latest session's view,
    start no session (a session start changes which earlier events are in view: that is a
    ``build``). The tracker built on the way, or ``UNBUILT`` when there was nothing to add."""
    view = [row for row in rows if in_view(row.timestamp, entry.session_start)]
    last_id = rows[-1].id if rows else entry.last_id
    if not view:  # nothing new in view (events stamped before the session started): same tracker
        return Entry(count, last_id, entry.session_start, entry.rows_in_view, entry.pickled, keep), UNBUILT
    tracker = entry.tracker() or DialogueStateTracker.from_events(sender_id, [], slots)
    # What from_events does with each event, continued from where the entry stopped.
    for event in deserialise(json.loads(row.data) for row in view):
        tracker.update(event)
    return _entry(count, last_id, entry.session_start, entry.rows_in_view + len(view), tracker, keep), tracker


# --- the cache -----------------------------------------------------------------------


class TrackerCache:
    """Entries by (conversation, view), least recently used dropped first. Thread-safe: the
    store reads and writes in worker threads."""

    def __init__(self, size: int = DEFAULT_CACHED_CONVERSATIONS) -> None:
        self.size = max(0, int(size))
        self._entries: OrderedDict[tuple[str, bool], Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bool]) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, bool], entry: Entry) -> None:
        if not self.size or not entry.cacheable:
            self.drop(key)
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, key: tuple[str, bool]) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def in_use_order(self) -> list[tuple[str, bool]]:
        """Least recently used first."""
        with self._lock:
            return list(self._entries)
