"""The tracker store's cache (bot/channels/tracker_cache.py) against Rasa's plain SQLTrackerStore,
on SQLite and PostgreSQL: the same trackers, event for event and slot for slot, turn after turn;
another store on the same database (in this process and in another) whose writes are seen; a
retrieved tracker that its caller changes; the bound; and the work a cached read still does."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    EntitiesAdded,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.channels import tracker_cache
from bot.channels.stores import WayfinderTrackerStore
from bot.config import PROJECT_ROOT
from tests.databases import new_postgres_database

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "find_service", "inform", "human_handoff", "thank", "restart", "deny"],
        "entities": ["zip"],
        "slots": {
            "location": {"type": "text", "mappings": [{"type": "from_entity", "entity": "zip"}]},
            "needs": {"type": "list", "mappings": [{"type": "custom"}]},
            "age": {"type": "float", "min_value": 0, "max_value": 120, "mappings": [{"type": "custom"}]},
            "medicaid": {"type": "bool", "mappings": [{"type": "custom"}]},
            "language": {"type": "categorical", "values": ["en", "es"], "mappings": [{"type": "custom"}]},
            "details": {"type": "any", "mappings": [{"type": "custom"}]},
        },
        "forms": {"intake_form": {"required_slots": ["age"]}},
        "actions": ["action_search", "action_handoff"],
        "responses": {"utter_greet": [{"text": "Hello"}]},
    }
)
T0 = 1_765_000_000.0
DAY = 86_400.0


class Script:
    """Events as Rasa's processor and the handoff desk write them, with timestamps from a clock
    of its own: the same script gives equal events (new objects) every time."""

    def __init__(self, start: float = T0) -> None:
        self.clock = itertools.count()
        self.start = start

    def at(self, later: float = 0.0) -> float:
        self.start += later
        return self.start + next(self.clock) * 0.25

    def user(self, text: str, intent: str, entities: list[dict] | None = None) -> UserUttered:
        intent_data = {"name": intent, "confidence": 0.93}
        parse = {
            "text": text,
            "intent": intent_data,
            "entities": entities or [],
            "intent_ranking": [intent_data, {"name": "nlu_fallback", "confidence": 0.04}],
            "message_id": f"m-{text}",
            "metadata": {"client": "rest"},
        }
        return UserUttered(
            text, intent_data, entities or [], parse, self.at(), input_channel="rest", message_id=f"m-{text}"
        )

    def act(self, name: str, policy: str = "RulePolicy") -> ActionExecuted:
        return ActionExecuted(name, policy=policy, confidence=1.0, timestamp=self.at())

    def bot(self, text: str, timestamp: float | None = None, **data) -> BotUttered:
        return BotUttered(text, data, {"utter_action": "utter_x"}, timestamp or self.at())

    def slot(self, name: str, value) -> SlotSet:
        return SlotSet(name, value, self.at())

    def session_start(self, later: float = 0.0, **carried) -> list[Event]:
        # As Rasa's processor logs action_session_start: the action first, then its events
        # (the session start, the slots it carries over, action_listen).
        started = [
            ActionExecuted("action_session_start", timestamp=self.at(later)),
            SessionStarted(self.at()),
        ]
        return (
            started
            + [self.slot(name, value) for name, value in carried.items()]
            + [self.act("action_listen")]
        )

    def turns(self) -> list[list[Event]]:
        """A conversation over three sessions: greeting, a form, search results, a handoff
        (paused, an advocate's words, resumed), reverts and rejections, a restart, a session
        that expired, a Spanish one, and an event stamped before its session started."""
        service = {"service": {"id": 7, "name": "Therapy Center", "phones": ["+12155550100"]}}
        cards = [{"title": "1. Therapy Center", "payload": "/inform"}]
        turns = [
            self.session_start(),
            [
                self.user("hi", "greet"),
                self.act("utter_greet"),
                self.bot("Hello!", buttons=cards),
                self.act("action_listen"),
            ],
            [
                self.user(
                    "I need a therapist who takes medicaid near 19143",
                    "find_service",
                    [{"entity": "zip", "value": "19143", "start": 44, "end": 49, "extractor": "Regex"}],
                ),
                self.slot("location", "19143"),
                self.slot("needs", ["therapy", "counseling"]),
                self.slot("medicaid", True),
                self.act("intake_form"),
                ActiveLoop("intake_form", self.at()),
                self.slot("requested_slot", "age"),
                self.bot("How old are you?"),
                self.act("action_listen"),
            ],
            [
                self.user("34", "inform"),
                self.slot("age", 34.0),
                self.act("intake_form"),
                self.slot("requested_slot", None),
                ActiveLoop(None, self.at()),
                self.act("action_search"),
                self.slot("details", service),
                self.bot("1. Therapy Center", custom={"cards": [service]}, buttons=cards),
                self.act("action_listen", policy="TEDPolicy"),
            ],
            [
                self.user("no", "deny"),
                ActionExecutionRejected("intake_form", timestamp=self.at()),
                LoopInterrupted(True, self.at()),
                UserUtteranceReverted(self.at()),
                ActionReverted(self.at()),
                FollowupAction("action_listen", self.at()),
                EntitiesAdded([{"entity": "zip", "value": "19104"}], self.at()),
                self.act("action_listen"),
            ],
            [
                self.user("talk to a person", "human_handoff"),
                self.act("action_handoff"),
                self.bot("Someone will be with you shortly."),
                ConversationPaused(self.at()),
            ],
            [self.bot("Hi, this is Sam from the help desk.", custom={"advocate": "sam"})],
            [ConversationResumed(self.at()), self.act("action_listen")],
            [self.user("start over", "restart"), self.act("action_restart"), Restarted(self.at())],
            [
                *self.session_start(),
                self.user("hi again", "greet"),
                self.act("utter_greet"),
                self.bot("Hello!"),
                AllSlotsReset(self.at()),
                self.act("action_listen"),
            ],
            # A day later: the session expired; the location is carried over.
            [
                *self.session_start(later=DAY, location="19143"),
                self.user("hola", "greet"),
                self.slot("language", "es"),
                self.bot("¡Hola!"),
                self.act("action_listen"),
            ],
        ]
        session = self.start
        # Another replica's clock, behind: its event predates the session and is not in it.
        turns.append([self.user("gracias", "thank"), self.bot("De nada", timestamp=session - 60)])
        turns.append([self.act("action_listen")])
        turns.append([self.bot("Y otra cosa", timestamp=session - 30)])  # a turn with nothing in the session
        return turns


def state(tracker: DialogueStateTracker | None) -> dict | None:
    """Everything a tracker says, for comparing two: each event (class and all its fields), each
    slot (class, value and the value's type), and the state replaying them leaves."""
    if tracker is None:
        return None
    return {
        "sender_id": tracker.sender_id,
        "events": [(type(event).__name__, event.as_dict()) for event in tracker.events],
        "slots": {
            name: (type(slot).__name__, type(slot.value).__name__, slot.value)
            for name, slot in tracker.slots.items()
        },
        "current": tracker.current_state(EventVerbosity.ALL),
        "applied": [event.as_dict() for event in tracker.applied_events()],
        "latest_bot": latest(tracker, tracker.latest_bot_utterance),
        "latest_message": latest(tracker, tracker.latest_message),
        "rest": (tracker.followup_action, tracker.model_id, tracker.assistant_id, tracker._max_event_history),
    }


def latest(tracker: DialogueStateTracker, event: Event | None) -> tuple | None:
    """Which of the tracker's events it is, and what it says; an empty one made when the tracker
    was (never stored: its timestamp is the time it was made) without its timestamp."""
    if event is None:
        return None
    position = next((n for n, other in enumerate(tracker.events) if other is event), None)
    data = event.as_dict()
    if position is None:
        data.pop("timestamp")
    return position, data


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path) -> Iterator[tuple[str, str]]:
    """Two fresh, empty databases of one kind: one for Wayfinder's store, one for Rasa's."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ours.sqlite3'}", f"sqlite:///{tmp_path / 'rasas.sqlite3'}"
        return
    with new_postgres_database() as ours, new_postgres_database() as rasas:
        yield ours, rasas


@pytest.fixture
def open_store(monkeypatch) -> Iterator[Callable[..., WayfinderTrackerStore | SQLTrackerStore]]:
    """Stores on a database URL (Wayfinder's reads WAYFINDER_DATABASE_URL), disposed after the test."""
    opened: list[SQLTrackerStore] = []

    def open_store(url: str, rasas: bool = False, **settings) -> WayfinderTrackerStore | SQLTrackerStore:
        if rasas:
            store = SQLTrackerStore(domain=DOMAIN, host=url)
        else:
            monkeypatch.setenv("WAYFINDER_DATABASE_URL", url)
            store = WayfinderTrackerStore(domain=DOMAIN, **settings)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.engine.dispose()


def play(store: SQLTrackerStore, sender: str, events: list[Event]) -> None:
    """A turn as Rasa's processor takes it: get (or create) the tracker, add events, save."""
    tracker = run(store.get_or_create_tracker(sender, append_action_listen=False))
    for event in events:
        tracker.update(event)
    run(store.save(tracker))


def stored_rows(store: SQLTrackerStore, sender: str) -> list[tuple]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = :s ORDER BY id"
            ),
            {"s": sender},
        )
        return [(*row[:4], json.loads(row[4])) for row in rows]


def assert_same(ours: SQLTrackerStore, rasas: SQLTrackerStore, sender: str) -> None:
    assert state(run(ours.retrieve(sender))) == state(run(rasas.retrieve(sender)))
    assert state(run(ours.retrieve_full_tracker(sender))) == state(run(rasas.retrieve_full_tracker(sender)))


# --- equality with Rasa's store ------------------------------------------------------------


@pytest.mark.parametrize("cached", [500, 1, 0])
def test_every_turn_equals_rasas_sql_store_event_for_event(databases, open_store, cached):
    """The same turns through each store, each on its own database: the same rows stored, and
    the same trackers read back (cached, read cold by a new store, and read by Rasa's store from
    Wayfinder's database), for the latest session and the whole conversation. A cache of one
    conversation is emptied by the other conversation between every turn; 0 turns it off."""
    ours_url, rasas_url = databases
    ours = open_store(ours_url, cached_conversations=cached)
    rasas = open_store(rasas_url, rasas=True)
    rasas_reading_ours = open_store(ours_url, rasas=True)
    ours_turns, rasas_turns = Script().turns(), Script().turns()
    other_turns, other_rasas_turns = Script(T0 + 5).turns(), Script(T0 + 5).turns()

    for number, (mine, theirs) in enumerate(zip(ours_turns, rasas_turns, strict=True)):
        play(ours, "caller", mine)
        play(rasas, "caller", theirs)
        assert stored_rows(ours, "caller") == stored_rows(rasas, "caller"), f"turn {number}"
        assert_same(ours, rasas, "caller")
        assert_same(ours, rasas_reading_ours, "caller")
        if number < len(other_turns):
            play(ours, "another", other_turns[number])
            play(rasas, "another", other_rasas_turns[number])
            assert_same(ours, rasas, "another")

    cold = open_store(ours_url)
    assert_same(cold, rasas, "caller")
    assert_same(cold, rasas, "another")
    latest = run(ours.retrieve("caller"))
    # The script's last session, not the events before it (nor the one stamped before it).
    assert [event.text for event in latest.events if isinstance(event, UserUttered)] == ["hola", "gracias"]
    assert latest.get_slot("location") == "19143" and latest.get_slot("language") == "es"
    whole = run(ours.retrieve_full_tracker("caller"))
    assert sum(isinstance(event, SessionStarted) for event in whole.events) == 3
    assert run(ours.retrieve("nobody")) is None and run(ours.retrieve_full_tracker("nobody")) is None


def test_a_session_started_and_saved_in_one_turn_reads_back_as_rasas(databases, open_store):
    """Rasa's processor: a conversation's first message (no events: action_session_start runs,
    then the turn) and a message after the session expired (the old session's events, then a new
    session, saved together)."""
    ours_url, rasas_url = databases
    ours, rasas = open_store(ours_url), open_store(rasas_url, rasas=True)
    for store in (ours, rasas):
        script = Script()
        first = [
            *script.session_start(),
            script.user("hi", "greet"),
            script.bot("Hello!"),
            script.act("action_listen"),
        ]
        play(store, "caller", first)
        expired = script.session_start(later=DAY, needs=["food"])
        play(store, "caller", [*expired, script.user("food", "inform"), script.act("action_listen")])
    assert stored_rows(ours, "caller") == stored_rows(rasas, "caller")
    assert_same(ours, rasas, "caller")
    latest = run(ours.retrieve("caller"))
    assert [type(event).__name__ for event in latest.events][:2] == ["SessionStarted", "SlotSet"]
    assert latest.get_slot("needs") == ["food"]


# --- other writers --------------------------------------------------------------------------


def test_another_store_on_the_same_database_is_seen_at_the_next_read(databases, open_store):
    """Two replicas, A and B, on one database: what either writes, the other's next read has,
    equal to what Rasa's store reads, by reading only the new events (or the session again
    when one started)."""
    url, _ = databases
    a, b, rasas = open_store(url), open_store(url), open_store(url, rasas=True)
    turns = Script().turns()
    play(a, "caller", turns[0])
    play(a, "caller", turns[1])
    assert_same(a, rasas, "caller")
    assert_same(b, rasas, "caller")  # B has it cached too now

    for number, turn in enumerate(turns[2:], start=2):
        writer, reader = (a, b) if number % 2 else (b, a)
        play(writer, "caller", turn)
        assert_same(reader, rasas, "caller")
        assert_same(writer, rasas, "caller")


def test_a_cached_read_deserialises_only_events_stored_since(sqlite_url, open_store, monkeypatch):
    a, b = open_store(sqlite_url), open_store(sqlite_url)
    turns = Script().turns()
    for turn in turns[:4]:
        play(a, "caller", turn)
    run(b.retrieve("caller"))
    read: list[int] = []
    deserialise = tracker_cache.deserialise

    def counting(parameters):
        events = deserialise(list(parameters))
        read.append(len(events))
        return events

    monkeypatch.setattr(tracker_cache, "deserialise", counting)
    run(a.retrieve("caller"))
    run(b.retrieve("caller"))
    assert read == []  # nothing stored since: no event read or rebuilt
    play(a, "caller", turns[4])  # 8 events: A reads its own write back in the save
    assert read == [len(turns[4])]
    run(b.retrieve("caller"))  # B: only those 8
    assert read == [len(turns[4])] * 2


def test_a_second_process_appending_events_is_seen(databases, open_store):
    """A store in another process (another Rasa server) appends a turn; this process's
    cached tracker then has it, as Rasa's store reads it."""
    url, _ = databases
    ours, rasas = open_store(url), open_store(url, rasas=True)
    turns = Script().turns()
    for turn in turns[:3]:
        play(ours, "caller", turn)
    assert_same(ours, rasas, "caller")

    child = (
        "import asyncio, sys\n"
        "from bot.channels.stores import WayfinderTrackerStore\n"
        "from tests.channels.test_tracker_cache import DOMAIN, Script, play\n"
        "store = WayfinderTrackerStore(domain=DOMAIN)\n"
        "turns = Script().turns()\n"
        "for number in map(int, sys.argv[1:]):\n"
        "    play(store, 'caller', turns[number])\n"
    )
    environment = {**os.environ, "WAYFINDER_DATABASE_URL": url}
    for numbers in (["3", "4"], ["5", "6", "7"], ["8", "9", "10"]):  # the last with two session starts
        subprocess.run(
            [sys.executable, "-c", child, *numbers],
            cwd=PROJECT_ROOT,
            env=environment,
            check=True,
            timeout=300,
        )
        assert_same(ours, rasas, "caller")
    assert [e.text for e in run(ours.retrieve("caller")).events if isinstance(e, UserUttered)] == ["hola"]


def test_a_late_commit_below_the_last_id_and_a_deleted_event_are_not_missed(databases, open_store):
    """PostgreSQL hands out ids when a transaction inserts, not when it commits: another replica's
    event can appear below the highest id already read. And an operator may delete an event.
    Either changes the count without (only) adding events above the last id: the session is read
    again."""
    url, _ = databases
    ours, rasas = open_store(url), open_store(url, rasas=True)
    for turn in Script().turns()[:3]:
        play(ours, "caller", turn)
    with ours.engine.connect() as conn:
        top = conn.execute(sa.text("SELECT max(id) FROM events")).scalar()
    later = Script(T0 + 1000)

    def insert(event_id: int, text: str) -> None:
        event = later.bot(text)
        with ours.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, sender_id, type_name, timestamp, data) "
                    "VALUES (:id, 'caller', 'bot', :ts, :data)"
                ),
                {"id": event_id, "ts": event.timestamp, "data": json.dumps(event.as_dict())},
            )

    insert(top + 1000, "committed first")
    assert_same(ours, rasas, "caller")
    insert(top + 500, "took its id first, committed later")
    insert(top + 1001, "and one more after")
    assert_same(ours, rasas, "caller")
    texts = [e.text for e in run(ours.retrieve("caller")).events if isinstance(e, BotUttered)]
    assert texts[-3:] == ["took its id first, committed later", "committed first", "and one more after"]

    with ours.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE id = :id"), {"id": top + 500})
    insert(top + 1002, "after a deletion")  # the count is back where it was
    assert_same(ours, rasas, "caller")
    texts = [e.text for e in run(ours.retrieve("caller")).events if isinstance(e, BotUttered)]
    assert texts[-3:] == ["committed first", "and one more after", "after a deletion"]


# --- callers changing what they got ----------------------------------------------------------


def test_a_changed_tracker_never_changes_what_the_next_read_returns(sqlite_url, open_store):
    ours, rasas = open_store(sqlite_url), open_store(sqlite_url, rasas=True)
    for turn in Script().turns()[:4]:
        play(ours, "caller", turn)
    before = state(run(ours.retrieve("caller")))

    changed = run(ours.retrieve("caller"))
    changed.update(UserUttered("never saved"))
    changed.slots["details"].value["service"]["phones"].append("+10000000000")
    changed.slots["needs"].value.append("food")
    changed.latest_message.parse_data["intent"]["name"] = "changed"
    changed.latest_message.intent["name"] = "changed"
    changed.events[0].metadata["changed"] = True
    next(e for e in changed.events if isinstance(e, BotUttered)).data["buttons"].clear()
    changed._paused = True

    again = run(ours.retrieve("caller"))
    assert state(again) == before == state(run(rasas.retrieve("caller")))
    # Two reads share nothing that could be changed.
    assert again.slots["details"].value is not run(ours.retrieve("caller")).slots["details"].value
    changed.events.clear()
    assert state(run(ours.retrieve("caller"))) == before


def test_a_tracker_changed_after_its_save_does_not_change_what_was_cached(sqlite_url, open_store):
    ours, rasas = open_store(sqlite_url), open_store(sqlite_url, rasas=True)
    turns = Script().turns()
    for turn in turns[:3]:
        play(ours, "caller", turn)
    tracker = run(ours.retrieve("caller"))
    for event in turns[3]:
        tracker.update(event)
    run(ours.save(tracker))
    tracker.slots["details"].value["service"]["name"] = "changed after the save"
    turns[3][0].parse_data["intent"]["name"] = "changed after the save"
    tracker.events.pop()
    assert state(run(ours.retrieve("caller"))) == state(run(rasas.retrieve("caller")))


def test_concurrent_reads_during_writes_each_get_a_whole_turn(sqlite_url, open_store):
    """The console's HTTP API reads while turns are saved: every read is the conversation after
    some whole number of turns, and equal to Rasa's read of that state."""
    ours, rasas = open_store(sqlite_url), open_store(sqlite_url, rasas=True)
    turns = Script().turns()[:9]
    play(ours, "caller", turns[0])
    states_after_each_turn = [state(run(rasas.retrieve("caller")))]
    seen: list[dict] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                seen.append(state(run(ours.retrieve("caller"))))
        except BaseException as error:  # reported below
            failures.append(error)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for turn in turns[1:]:
            play(ours, "caller", turn)
            states_after_each_turn.append(state(run(rasas.retrieve("caller"))))
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert not failures
    assert len(seen) > len(turns)
    assert all(read in states_after_each_turn for read in seen)
    assert seen[-1] == states_after_each_turn[-1]


# --- the bound, the domain, the setting ----------------------------------------------------


def test_the_cache_keeps_the_most_recently_used_conversations_up_to_its_bound(sqlite_url, open_store):
    ours, rasas = open_store(sqlite_url, cached_conversations="3"), open_store(sqlite_url, rasas=True)
    senders = [f"caller-{n}" for n in range(8)]
    for sender in senders:
        for turn in Script().turns()[:3]:
            play(ours, sender, turn)
        assert len(ours._cache) <= 3
    assert [sender for sender, _whole in ours._cache.in_use_order()] == senders[-3:]
    run(ours.retrieve(senders[-3]))  # used again: now the most recent
    run(ours.retrieve_full_tracker(senders[0]))  # the whole conversation is an entry of its own
    assert ours._cache.in_use_order() == [(senders[-1], False), (senders[-3], False), (senders[0], True)]
    for sender in senders:  # an evicted conversation reads as any other
        assert_same(ours, rasas, sender)
    assert len(ours._cache) == 3


def test_a_new_domain_rebuilds_trackers_with_its_slots(sqlite_url, open_store):
    ours = open_store(sqlite_url)
    for turn in Script().turns()[:3]:
        play(ours, "caller", turn)
    assert "postcode" not in run(ours.retrieve("caller")).slots
    slots = {**DOMAIN.as_dict()["slots"], "postcode": {"type": "text", "mappings": [{"type": "custom"}]}}
    ours.domain = Domain.from_dict(
        {**DOMAIN.as_dict(), "slots": slots}
    )  # as Rasa's agent does on a new model
    tracker = run(ours.retrieve("caller"))
    assert "postcode" in tracker.slots and tracker.get_slot("location") == "19143"


def test_the_bound_is_set_in_endpoints_yml(tmp_path, monkeypatch):
    """Rasa passes a tracker_store's other keys to the store: ``cached_conversations``."""
    from rasa.core.tracker_store import create_tracker_store
    from rasa.utils.endpoints import read_endpoint_config

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: bot.channels.stores.WayfinderTrackerStore\n  cached_conversations: ${SIZE}\n"
    )
    monkeypatch.setenv("SIZE", "7")
    # endpoints.yml's other sections name these.
    monkeypatch.setenv("WAYFINDER_ACTION_ENDPOINT", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("WAYFINDER_ACTION_TOKEN", "unused")
    store = create_tracker_store(read_endpoint_config(str(endpoints), "tracker_store"), DOMAIN)
    try:
        assert isinstance(store, WayfinderTrackerStore) and store._cache.size == 7
    finally:
        store.engine.dispose()
    default = PROJECT_ROOT / "endpoints.yml"
    store = create_tracker_store(read_endpoint_config(str(default), "tracker_store"), DOMAIN)
    try:
        assert store._cache.size == tracker_cache.DEFAULT_CACHED_CONVERSATIONS
    finally:
        store.engine.dispose()


# --- what a turn costs the database -----------------------------------------------------------


def test_a_turn_is_one_read_and_one_insert_of_all_its_events(sqlite_url, open_store):
    ours = open_store(sqlite_url)
    turns = Script().turns()
    for turn in turns[:3]:
        play(ours, "caller", turn)
    statements: list[tuple[str, bool]] = []

    def record(_conn, _cursor, statement, _parameters, _context, executemany):
        statements.append((statement.split()[0], executemany))

    sa.event.listen(ours.engine, "before_cursor_execute", record)
    try:
        tracker = run(ours.retrieve("caller"))
        assert statements == [("SELECT", False)]  # the count: no event read
        statements.clear()
        for event in turns[3]:
            tracker.update(event)
        run(ours.save(tracker))
    finally:
        sa.event.remove(ours.engine, "before_cursor_execute", record)
    # The check, the turn's 9 events in one statement, the read-back of those 9.
    assert statements == [("SELECT", False), ("INSERT", True), ("SELECT", False)]


def test_the_event_class_lookup_is_made_once_per_type(sqlite_url, open_store, monkeypatch):
    ours = open_store(sqlite_url)
    for turn in Script().turns():
        play(ours, "caller", turn)
    looked_up: list[str] = []
    resolve = Event.resolve_by_type

    def counting(type_name, default=None):
        looked_up.append(type_name)
        return resolve(type_name, default)

    monkeypatch.setattr(tracker_cache, "_event_classes", {})
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(counting))
    whole = run(open_store(sqlite_url).retrieve_full_tracker("caller"))  # a cold read of every event
    assert len(whole.events) == 63
    assert sorted(looked_up) == sorted({type(event).type_name for event in whole.events})


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
