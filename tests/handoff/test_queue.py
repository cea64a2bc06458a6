"""The handoff queue's state machine, on SQLite and PostgreSQL, with explicit times (no sleeping)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.audit import AuditLog
from bot.handoff.queue import (
    DISPOSITIONS,
    MAX_NOTE_CHARS,
    SYSTEM,
    HandoffConflict,
    HandoffError,
    HandoffQueue,
)

T0 = datetime(2024, 3, 4, 15, 0, tzinfo=timezone.utc)
TIME_FIELDS = (
    "requested_at",
    "claimed_at",
    "returned_at",
    "resolved_at",
    "abandoned_at",
    "crisis_at",
    "last_caller_at",
    "last_advocate_at",
    "updated_at",
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def queue(database_url) -> HandoffQueue:
    opened = HandoffQueue.open(database_url)
    try:
        yield opened
    finally:
        opened.close()


def actions(queue: HandoffQueue, handoff_id: int | None = None) -> list[str]:
    """The audit log's actions, oldest first."""
    return [entry["action"] for entry in reversed(AuditLog(queue.engine).entries(handoff_id))]


def assert_aware(record: dict, fields=TIME_FIELDS) -> None:
    for field in fields:
        value = record[field]
        if value is not None:
            assert value.tzinfo is not None and value.utcoffset() is not None, field


# -- request --------------------------------------------------------------------------


def test_a_request_makes_a_waiting_record(queue):
    handoff_id = queue.request(
        "c1", reason="caller_request", channel="rest", summary={"need": "counseling"}, now=T0
    )
    record = queue.get(handoff_id)
    assert record["conversation_id"] == "c1"
    assert record["state"] == "waiting"
    assert record["priority"] == "normal" and record["reason"] == "caller_request"
    assert record["channel"] == "rest"
    assert record["summary"] == {"need": "counseling"}
    assert record["holder"] is None and record["disposition"] is None
    assert record["paused"] is False
    assert record["requested_at"] == T0 and record["last_caller_at"] == T0 and record["updated_at"] == T0
    assert record["crisis_at"] is None and record["claimed_at"] is None
    assert queue.open_for("c1")["id"] == handoff_id
    assert queue.latest_for("c1")["id"] == handoff_id
    assert queue.open_for("nobody") is None and queue.latest_for("nobody") is None
    assert queue.get(handoff_id + 1000) is None


def test_each_conversation_gets_its_own_record(queue):
    first = queue.request("c1", reason="caller_request", now=T0)
    second = queue.request("c2", reason="caller_request", now=at(1))
    assert first != second
    assert [r["conversation_id"] for r in queue.waiting()] == ["c1", "c2"]


def test_an_unknown_priority_is_refused(queue):
    with pytest.raises(ValueError):
        queue.request("c1", reason="caller_request", priority="asap", now=T0)
    assert queue.active() == []


def test_asking_again_updates_the_open_request_instead_of_duplicating_it(queue):
    first = queue.request("c1", reason="caller_request", summary={"need": "counseling"}, now=T0)
    again = queue.request("c1", reason="caller_request", summary={"location": "19143"}, now=at(5))
    assert again == first
    [record] = queue.active()
    assert record["summary"] == {"need": "counseling", "location": "19143"}
    assert record["requested_at"] == T0, "asking again must not lose the caller's place in line"
    assert record["last_caller_at"] == at(5) and record["updated_at"] == at(5)
    assert actions(queue, first) == ["requested"]


def test_a_later_summary_value_replaces_the_earlier_one(queue):
    handoff_id = queue.request("c1", reason="caller_request", summary={"need": "counseling"}, now=T0)
    queue.request("c1", reason="caller_request", summary={"need": "housing"}, now=at(1))
    queue.request("c1", reason="caller_request", summary=None, now=at(2))
    assert queue.get(handoff_id)["summary"] == {"need": "housing"}


def test_a_held_conversation_asking_again_updates_the_held_record(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    assert queue.request("c1", reason="caller_request", now=at(2)) == handoff_id
    assert queue.get(handoff_id)["state"] == "with_advocate"


def test_a_new_request_after_the_last_one_closed_is_a_new_record(queue):
    first = queue.request("c1", reason="caller_request", now=T0)
    queue.resolve(first, "ana", "referred", now=at(1))
    second = queue.request("c1", reason="caller_request", now=at(2))
    assert second != first
    assert queue.open_for("c1")["id"] == second
    assert queue.latest_for("c1")["id"] == second
    assert queue.get(first)["state"] == "resolved"


def test_a_higher_priority_wins_and_is_audited(queue):
    handoff_id = queue.request("c1", reason="caller_request", priority="normal", now=T0)
    queue.request("c1", reason="advocacy_intake", priority="high", now=at(1), actor="bot")
    record = queue.get(handoff_id)
    assert (record["priority"], record["reason"]) == ("high", "advocacy_intake")
    [raised] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "priority_raised"]
    assert raised["actor"] == "bot" and raised["at"] == at(1)
    assert raised["detail"] == {"from": "normal", "to": "high", "reason": "advocacy_intake"}
    assert raised["conversation_id"] == "c1"


def test_a_lower_priority_does_not_lower_the_request(queue):
    handoff_id = queue.request("c1", reason="crisis", priority="urgent", now=T0)
    queue.request("c1", reason="caller_request", priority="normal", now=at(1))
    record = queue.get(handoff_id)
    assert (record["priority"], record["reason"]) == ("urgent", "crisis")
    assert actions(queue, handoff_id) == ["requested"]


def test_a_crisis_request_records_when_the_crisis_was(queue):
    handoff_id = queue.request("c1", reason="crisis", priority="urgent", now=T0)
    assert queue.get(handoff_id)["crisis_at"] == T0
    other = queue.request("c2", reason="caller_request", now=T0)
    assert queue.get(other)["crisis_at"] is None
    queue.request("c2", reason="crisis", priority="urgent", now=at(3))
    record = queue.get(other)
    assert record["crisis_at"] == at(3) and record["priority"] == "urgent"


def test_paused_is_kept_once_set(queue):
    handoff_id = queue.request("c1", reason="caller_request", paused=False, now=T0)
    assert queue.get(handoff_id)["paused"] is False
    queue.request("c1", reason="caller_request", paused=True, now=at(1))
    assert queue.get(handoff_id)["paused"] is True
    queue.request("c1", reason="caller_request", paused=False, now=at(2))
    assert queue.get(handoff_id)["paused"] is True
    paused_from_the_start = queue.request("c2", reason="caller_request", paused=True, now=T0)
    assert queue.get(paused_from_the_start)["paused"] is True


def test_caller_spoke_notes_activity_on_the_open_request_only(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    record = queue.caller_spoke("c1", now=at(4))
    assert record["id"] == handoff_id and record["last_caller_at"] == at(4)
    assert queue.caller_spoke("nobody", now=at(4)) is None


# -- claim ------------------------------------------------------------------------------


def test_claiming_takes_a_waiting_request(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    record = queue.claim(handoff_id, "ana", now=at(2))
    assert record["state"] == "with_advocate" and record["holder"] == "ana"
    assert record["claimed_at"] == at(2) and record["last_advocate_at"] == at(2)
    assert record["paused"] is True
    assert queue.waiting() == []
    assert [r["id"] for r in queue.active()] == [handoff_id]


def test_claiming_ones_own_twice_is_harmless(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(2))
    again = queue.claim(handoff_id, "ana", now=at(3))
    assert again["holder"] == "ana" and again["claimed_at"] == at(2)
    assert actions(queue, handoff_id) == ["requested", "claimed"]


def test_another_advocate_cannot_claim_a_held_request(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(2))
    with pytest.raises(HandoffConflict, match="ana"):
        queue.claim(handoff_id, "ben", now=at(3))
    assert queue.get(handoff_id)["holder"] == "ana"


@pytest.mark.parametrize("close", ["resolve", "abandon", "hand_back"])
def test_a_request_that_is_not_waiting_cannot_be_claimed(queue, close):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    if close == "resolve":
        queue.resolve(handoff_id, "ana", "referred", now=at(1))
    elif close == "abandon":
        queue.abandon(handoff_id, SYSTEM, "caller left", now=at(1))
    else:
        queue.claim(handoff_id, "ana", now=at(1))
        queue.hand_back(handoff_id, "ana", now=at(2))
    before = queue.get(handoff_id)
    with pytest.raises(HandoffError) as raised:
        queue.claim(handoff_id, "ben", now=at(3))
    assert not isinstance(raised.value, HandoffConflict)
    assert queue.get(handoff_id) == before


def test_claiming_an_unknown_request_is_an_error(queue):
    with pytest.raises(HandoffError, match="no handoff"):
        queue.claim(12345, "ana", now=T0)


# -- advocate_spoke, release, hand_back -----------------------------------------------------


def test_only_the_holder_speaks_in_a_held_conversation(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    with pytest.raises(HandoffError, match="claim it first"):
        queue.advocate_spoke(handoff_id, "ana", now=at(1))
    queue.claim(handoff_id, "ana", now=at(1))
    record = queue.advocate_spoke(handoff_id, "ana", now=at(4))
    assert record["last_advocate_at"] == at(4) and record["updated_at"] == at(4)
    with pytest.raises(HandoffConflict):
        queue.advocate_spoke(handoff_id, "ben", now=at(5))
    assert queue.get(handoff_id)["last_advocate_at"] == at(4)
    assert actions(queue, handoff_id) == ["requested", "claimed", "message_sent"]


def test_release_puts_the_conversation_back_in_line(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    record = queue.release(handoff_id, "ana", "going on break", now=at(2))
    assert record["state"] == "waiting" and record["holder"] is None
    assert queue.position(handoff_id) == 1
    [released] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "released"]
    assert released["actor"] == "ana" and released["detail"] == {"from": "ana", "why": "going on break"}
    # Back in line, another advocate can take it.
    assert queue.claim(handoff_id, "ben", now=at(3))["holder"] == "ben"


def test_only_a_held_conversation_can_be_released(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    with pytest.raises(HandoffError, match="not held"):
        queue.release(handoff_id, "ana", "why not", now=at(1))


def test_hand_back_returns_the_conversation_to_the_bot(queue):
    handoff_id = queue.request("c1", reason="caller_request", paused=True, now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    with pytest.raises(HandoffConflict):
        queue.hand_back(handoff_id, "ben", now=at(2))
    record = queue.hand_back(handoff_id, "ana", now=at(3))
    assert record["state"] == "returned_to_bot" and record["paused"] is False
    assert record["returned_at"] == at(3) and record["holder"] == "ana"
    assert queue.active() == [] and queue.open_for("c1") is None
    with pytest.raises(HandoffError):
        queue.hand_back(handoff_id, "ana", now=at(4))


def test_a_waiting_request_cannot_be_handed_back(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    with pytest.raises(HandoffError):
        queue.hand_back(handoff_id, "ana", now=at(1))
    assert queue.get(handoff_id)["state"] == "waiting"


# -- resolve, abandon -------------------------------------------------------------------


def test_resolving_needs_a_known_disposition(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    for bad in ("", "done", None):
        with pytest.raises(HandoffError, match="disposition"):
            queue.resolve(handoff_id, "ana", bad, now=at(1))
    assert queue.get(handoff_id)["state"] == "waiting"


@pytest.mark.parametrize("disposition", DISPOSITIONS)
def test_every_disposition_resolves(queue, disposition):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    assert queue.resolve(handoff_id, "ana", disposition, now=at(1))["disposition"] == disposition


def test_resolving_a_waiting_request_makes_the_advocate_its_holder(queue):
    handoff_id = queue.request("c1", reason="caller_request", paused=True, now=T0)
    record = queue.resolve(handoff_id, "ana", "information_given", now=at(2))
    assert record["state"] == "resolved" and record["holder"] == "ana"
    assert record["resolved_at"] == at(2) and record["paused"] is False
    [resolved] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "resolved"]
    assert resolved["detail"] == {"disposition": "information_given", "from": "waiting"}


def test_only_the_holder_resolves_a_held_conversation(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    with pytest.raises(HandoffConflict):
        queue.resolve(handoff_id, "ben", "referred", now=at(2))
    assert queue.get(handoff_id)["state"] == "with_advocate"
    record = queue.resolve(handoff_id, "ana", "referred", now=at(3))
    assert record["state"] == "resolved" and record["holder"] == "ana"


def test_a_conversation_handed_back_can_be_resolved(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.hand_back(handoff_id, "ana", now=at(2))
    record = queue.resolve(handoff_id, "ana", "referred", now=at(3))
    assert record["state"] == "resolved" and record["returned_at"] == at(2)
    [resolved] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "resolved"]
    assert resolved["detail"]["from"] == "returned_to_bot"


def test_a_closed_request_cannot_be_resolved_again(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.resolve(handoff_id, "ana", "referred", now=at(1))
    with pytest.raises(HandoffError, match="already resolved"):
        queue.resolve(handoff_id, "ana", "other", now=at(2))
    assert queue.get(handoff_id)["disposition"] == "referred"
    gone = queue.request("c2", reason="caller_request", now=T0)
    queue.abandon(gone, SYSTEM, "caller left", now=at(1))
    with pytest.raises(HandoffError, match="already abandoned"):
        queue.resolve(gone, "ana", "referred", now=at(2))


@pytest.mark.parametrize("claimed", [False, True])
def test_abandoning_closes_an_open_request(queue, claimed):
    handoff_id = queue.request("c1", reason="caller_request", paused=True, now=T0)
    if claimed:
        queue.claim(handoff_id, "ana", now=at(1))
    record = queue.abandon(handoff_id, SYSTEM, "caller left", now=at(2))
    assert record["state"] == "abandoned" and record["disposition"] == "abandoned"
    assert record["abandoned_at"] == at(2) and record["paused"] is False
    assert queue.active() == []
    [entry] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "abandoned"]
    assert entry["actor"] == SYSTEM and entry["detail"] == {"why": "caller left"}
    with pytest.raises(HandoffError, match="not open"):
        queue.abandon(handoff_id, SYSTEM, "again", now=at(3))


def test_a_conversation_handed_back_is_not_abandoned(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.hand_back(handoff_id, "ana", now=at(2))
    with pytest.raises(HandoffError):
        queue.abandon(handoff_id, SYSTEM, "caller left", now=at(3))


# -- notes ----------------------------------------------------------------------------


def test_notes_are_kept_in_order_and_audited(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    first = queue.add_note(handoff_id, "ana", "  Caller prefers Spanish.  ", now=at(1))
    queue.add_note(handoff_id, "ben", "Called back, no answer.", now=at(2))
    assert first["text"] == "Caller prefers Spanish." and first["author"] == "ana"
    notes = queue.notes(handoff_id)
    assert [(n["author"], n["text"]) for n in notes] == [
        ("ana", "Caller prefers Spanish."),
        ("ben", "Called back, no answer."),
    ]
    assert notes[0]["created_at"] == at(1) and notes[0]["id"] == first["id"]
    assert_aware(notes[0], ("created_at",))
    assert actions(queue, handoff_id) == ["requested", "note_added", "note_added"]


@pytest.mark.parametrize("text", ["", "   \n ", None, "x" * (MAX_NOTE_CHARS + 1)])
def test_empty_or_too_long_notes_are_refused(queue, text):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    with pytest.raises(HandoffError):
        queue.add_note(handoff_id, "ana", text, now=at(1))
    assert queue.notes(handoff_id) == []
    assert actions(queue, handoff_id) == ["requested"]


def test_a_note_of_exactly_the_limit_is_kept(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.add_note(handoff_id, "ana", "x" * MAX_NOTE_CHARS, now=at(1))
    assert len(queue.notes(handoff_id)[0]["text"]) == MAX_NOTE_CHARS


def test_a_note_on_an_unknown_request_is_refused(queue):
    with pytest.raises(HandoffError):
        queue.add_note(999, "ana", "hello", now=T0)
    assert queue.notes(999) == []


# -- callbacks --------------------------------------------------------------------------


def test_a_callback_is_stored_only_with_consent(queue):
    with pytest.raises(HandoffError, match="consent"):
        queue.callback("c1", "215-555-0123", consent=False, now=T0)
    assert queue.callbacks(status=None) == []
    assert AuditLog(queue.engine).entries() == []


def test_callbacks_are_listed_in_order_and_closed_once(queue):
    first = queue.callback(
        "c1", "215-555-0123", consent=True, channel="rest", summary={"need": "food"}, now=T0
    )
    second = queue.callback("c2", "267-555-0100", consent=True, now=at(1))
    listed = queue.callbacks()
    assert [c["id"] for c in listed] == [first, second]
    assert listed[0]["phone"] == "215-555-0123" and listed[0]["consent"] is True
    assert listed[0]["summary"] == {"need": "food"} and listed[0]["status"] == "open"
    assert listed[0]["channel"] == "rest" and listed[0]["created_at"] == T0
    assert_aware(listed[0], ("created_at",))

    queue.callback_done(first, "ana", now=at(5))
    assert [c["id"] for c in queue.callbacks()] == [second]
    [done] = queue.callbacks(status="done")
    assert done["id"] == first and done["done_by"] == "ana" and done["done_at"] == at(5)
    assert_aware(done, ("created_at", "done_at"))
    assert len(queue.callbacks(status=None)) == 2
    with pytest.raises(HandoffError, match="not open"):
        queue.callback_done(first, "ben", now=at(6))
    with pytest.raises(HandoffError):
        queue.callback_done(9999, "ana", now=at(6))
    assert queue.callbacks(status="done")[0]["done_by"] == "ana"

    log = list(reversed(AuditLog(queue.engine).entries()))
    assert [(e["action"], e["actor"], e["detail"]) for e in log] == [
        ("callback_requested", SYSTEM, {"callback": first}),
        ("callback_requested", SYSTEM, {"callback": second}),
        ("callback_done", "ana", {"callback": first}),
    ]
    assert log[0]["conversation_id"] == "c1" and log[0]["handoff_id"] is None


# -- order, position ------------------------------------------------------------------


def test_urgent_requests_come_first_then_the_longest_wait_and_held_ones_last(queue):
    normal_early = queue.request("normal-early", reason="caller_request", now=T0)
    held = queue.request("held", reason="crisis", priority="urgent", now=at(-30))
    high = queue.request("high", reason="advocacy_intake", priority="high", now=at(1))
    urgent_late = queue.request("urgent-late", reason="crisis", priority="urgent", now=at(10))
    urgent_early = queue.request("urgent-early", reason="crisis", priority="urgent", now=at(5))
    normal_late = queue.request("normal-late", reason="caller_request", now=at(2))
    queue.claim(held, "ana", now=at(11))

    waiting_order = [urgent_early, urgent_late, high, normal_early, normal_late]
    assert [r["id"] for r in queue.waiting()] == waiting_order
    assert [r["id"] for r in queue.active()] == [*waiting_order, held]
    assert [queue.position(i) for i in waiting_order] == [1, 2, 3, 4, 5]
    assert queue.position(held) == 0


def test_a_raised_priority_moves_the_request_up(queue):
    first = queue.request("c1", reason="caller_request", now=T0)
    second = queue.request("c2", reason="caller_request", now=at(1))
    assert queue.position(second) == 2
    queue.request("c2", reason="crisis", priority="urgent", now=at(2))
    assert queue.position(second) == 1 and queue.position(first) == 2


def test_closed_and_unknown_requests_have_no_position(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.resolve(handoff_id, "ana", "referred", now=at(1))
    assert queue.position(handoff_id) == 0
    assert queue.position(424242) == 0


# -- history --------------------------------------------------------------------------


@pytest.fixture
def closed(queue) -> dict[str, int]:
    """Closed requests on three days, plus open ones history must leave out."""
    ids = {}
    ids["counseling"] = queue.request(
        "c1", reason="caller_request", summary={"need": "counseling", "location": "19143"}, now=at(0)
    )
    queue.claim(ids["counseling"], "ana", now=at(1))
    queue.resolve(ids["counseling"], "ana", "referred", now=at(2))

    ids["housing"] = queue.request(
        "c2", reason="caller_request", summary={"need": "housing"}, now=at(60 * 24)
    )
    queue.resolve(ids["housing"], "ben", "information_given", now=at(60 * 24 + 1))

    ids["gone"] = queue.request(
        "c3", reason="caller_request", summary={"need": "counseling"}, now=at(60 * 48)
    )
    queue.abandon(ids["gone"], SYSTEM, "caller silent", now=at(60 * 48 + 30))

    ids["open"] = queue.request(
        "c4", reason="caller_request", summary={"need": "counseling"}, now=at(60 * 48)
    )
    ids["held"] = queue.request(
        "c5", reason="caller_request", summary={"need": "counseling"}, now=at(60 * 48)
    )
    queue.claim(ids["held"], "ana", now=at(60 * 48 + 1))
    ids["returned"] = queue.request("c6", reason="caller_request", summary={"need": "counseling"}, now=at(3))
    queue.claim(ids["returned"], "ana", now=at(4))
    queue.hand_back(ids["returned"], "ana", now=at(5))
    return ids


def test_history_holds_closed_requests_newest_first(queue, closed):
    assert [r["id"] for r in queue.history()] == [closed["gone"], closed["housing"], closed["counseling"]]
    assert [r["id"] for r in queue.history(limit=1)] == [closed["gone"]]


def test_history_filters_by_date(queue, closed):
    day = timedelta(days=1)
    assert [r["id"] for r in queue.history(since=T0 + day)] == [closed["gone"], closed["housing"]]
    assert [r["id"] for r in queue.history(until=T0 + day)] == [closed["counseling"]]
    assert [r["id"] for r in queue.history(since=T0 + day, until=T0 + 2 * day)] == [closed["housing"]]
    # since is inclusive, until exclusive
    assert [r["id"] for r in queue.history(since=T0, until=T0 + timedelta(seconds=1))] == [
        closed["counseling"]
    ]
    assert queue.history(since=T0 + 3 * day) == []


def test_history_dates_in_another_time_zone_mean_the_same_moment(queue, closed):
    new_york = ZoneInfo("America/New_York")
    # A minute after the housing request, written as New York's wall time (five hours behind UTC).
    since = (at(60 * 24 + 1)).astimezone(new_york)
    assert [r["id"] for r in queue.history(since=since)] == [closed["gone"]]
    until = (at(60 * 24 + 1)).astimezone(new_york)
    assert [r["id"] for r in queue.history(until=until)] == [closed["housing"], closed["counseling"]]


def test_history_filters_by_need(queue, closed):
    assert [r["id"] for r in queue.history(need="counseling")] == [closed["gone"], closed["counseling"]]
    assert [r["id"] for r in queue.history(need="housing")] == [closed["housing"]]
    assert queue.history(need="food") == []
    # a need code is a whole word, not part of another
    assert queue.history(need="counsel") == []


def test_history_filters_by_disposition_and_advocate(queue, closed):
    assert [r["id"] for r in queue.history(disposition="referred")] == [closed["counseling"]]
    assert [r["id"] for r in queue.history(disposition="abandoned")] == [closed["gone"]]
    assert [r["id"] for r in queue.history(advocate="ben")] == [closed["housing"]]
    assert [r["id"] for r in queue.history(advocate="ana")] == [closed["counseling"]]
    assert queue.history(advocate="ana", disposition="information_given") == []
    assert [r["id"] for r in queue.history(need="counseling", advocate="ana")] == [closed["counseling"]]


def test_history_records_are_complete_and_timezone_aware(queue, closed):
    record = queue.history(disposition="referred")[0]
    assert record["summary"] == {"need": "counseling", "location": "19143"}
    assert (
        record["requested_at"] == at(0) and record["claimed_at"] == at(1) and record["resolved_at"] == at(2)
    )
    assert_aware(record)


# -- audit ----------------------------------------------------------------------------


def test_every_change_is_audited_with_who_what_and_when(queue):
    handoff_id = queue.request("c1", reason="caller_request", channel="rest", now=at(0))
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(2))
    queue.add_note(handoff_id, "ana", "note", now=at(3))
    queue.release(handoff_id, "ana", "break", now=at(4))
    queue.claim(handoff_id, "ben", now=at(5))
    queue.hand_back(handoff_id, "ben", now=at(6))
    queue.resolve(handoff_id, "ben", "referred", now=at(7))
    other = queue.request("c2", reason="caller_request", now=at(8))
    queue.abandon(other, SYSTEM, "caller silent", now=at(9))

    log = AuditLog(queue.engine).entries(handoff_id)
    assert [e["at"] for e in log] == [at(m) for m in range(7, -1, -1)], "newest first"
    assert [(e["action"], e["actor"]) for e in reversed(log)] == [
        ("requested", SYSTEM),
        ("claimed", "ana"),
        ("message_sent", "ana"),
        ("note_added", "ana"),
        ("released", "ana"),
        ("claimed", "ben"),
        ("handed_back", "ben"),
        ("resolved", "ben"),
    ]
    assert {e["conversation_id"] for e in log} == {"c1"}
    assert {e["handoff_id"] for e in log} == {handoff_id}
    assert log[-1]["detail"] == {"reason": "caller_request", "priority": "normal", "channel": "rest"}
    for entry in log:
        assert_aware(entry, ("at",))
    assert actions(queue, other) == ["requested", "abandoned"]
    assert len(AuditLog(queue.engine).entries()) == len(log) + 2
    assert len(AuditLog(queue.engine).entries(limit=3)) == 3


def test_refused_changes_leave_no_audit_entry(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    for refused in (
        lambda: queue.claim(handoff_id, "ben", now=at(2)),
        lambda: queue.advocate_spoke(handoff_id, "ben", now=at(2)),
        lambda: queue.hand_back(handoff_id, "ben", now=at(2)),
        lambda: queue.resolve(handoff_id, "ben", "referred", now=at(2)),
        lambda: queue.resolve(handoff_id, "ana", "nonsense", now=at(2)),
    ):
        with pytest.raises(HandoffError):
            refused()
    assert actions(queue, handoff_id) == ["requested", "claimed"]


def test_record_writes_an_entry_outside_the_queue(queue):
    AuditLog(queue.engine).record("admin", "account_created", {"user": "ana"}, now=T0)
    [entry] = AuditLog(queue.engine).entries()
    assert (entry["actor"], entry["action"], entry["detail"], entry["at"]) == (
        "admin",
        "account_created",
        {"user": "ana"},
        T0,
    )
    assert entry["handoff_id"] is None


# -- expire ---------------------------------------------------------------------------

IDLE = timedelta(minutes=10)
GONE = timedelta(minutes=30)
GRACE = timedelta(minutes=2)


def test_a_waiting_caller_silent_too_long_is_abandoned(queue):
    silent = queue.request("c1", reason="caller_request", paused=True, now=T0)
    talking = queue.request("c2", reason="caller_request", paused=True, now=T0)
    # Not paused: the assistant keeps answering (out of hours, crisis), so nobody "left" a wait.
    answered = queue.request("c3", reason="crisis", priority="urgent", now=T0)
    queue.caller_spoke("c2", now=at(20))
    assert queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(29)) == []
    [(record, what)] = queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(30))
    assert what == "abandoned" and record["id"] == silent
    assert record["state"] == "abandoned" and record["abandoned_at"] == at(30) and record["paused"] is False
    [entry] = [e for e in AuditLog(queue.engine).entries(silent) if e["action"] == "abandoned"]
    assert entry["actor"] == SYSTEM and entry["detail"] == {"why": "caller silent"}
    assert queue.get(talking)["state"] == "waiting"
    [(record, what)] = queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(50))
    assert record["id"] == talking and what == "abandoned"
    assert queue.get(answered)["state"] == "waiting"


def test_an_idle_holder_is_released(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(5))
    assert queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(14)) == []
    [(record, what)] = queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(15))
    assert what == "released" and record["state"] == "waiting" and record["holder"] is None
    [entry] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "released"]
    assert entry["actor"] == SYSTEM and entry["detail"] == {"from": "ana", "why": "advocate idle"}


def test_a_held_conversation_is_not_abandoned_for_the_callers_silence(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(60))
    assert queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(61)) == []
    assert queue.get(handoff_id)["state"] == "with_advocate"


def test_a_disconnected_holder_is_released_after_the_grace(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(2))
    last_seen = {"ana": at(3)}
    expire = dict(advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE, last_seen=last_seen)
    assert queue.expire(**expire, now=at(4.5)) == []
    [(record, what)] = queue.expire(**expire, now=at(5))
    assert what == "released" and record["state"] == "waiting"
    [entry] = [e for e in AuditLog(queue.engine).entries(handoff_id) if e["action"] == "released"]
    assert entry["detail"] == {"from": "ana", "why": "advocate disconnected"}


def test_a_connected_active_holder_keeps_the_conversation(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(8))
    expire = dict(advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE)
    assert queue.expire(**expire, last_seen={"ana": at(9)}, now=at(9)) == []
    assert queue.get(handoff_id)["holder"] == "ana"


def test_a_holder_never_seen_is_disconnected_once_their_last_step_is_older_than_the_grace(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    expire = dict(advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE, last_seen={"ben": at(5)})
    assert queue.expire(**expire, now=at(2)) == []
    [(record, what)] = queue.expire(**expire, now=at(3))
    assert record["id"] == handoff_id and record["holder"] is None
    assert what == "released"
    assert AuditLog(queue.engine).entries(handoff_id)[0]["detail"]["why"] == "advocate disconnected"


def test_a_stale_last_seen_does_not_hide_recent_activity(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.advocate_spoke(handoff_id, "ana", now=at(5))
    expire = dict(advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE, last_seen={"ana": at(0)})
    assert queue.expire(**expire, now=at(6)) == []
    [(_, what)] = queue.expire(**expire, now=at(7))
    assert what == "released"


def test_without_last_seen_only_idleness_releases(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    assert queue.expire(advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE, now=at(9)) == []
    assert queue.get(handoff_id)["state"] == "with_advocate"


def test_idleness_is_reported_before_disconnection(queue):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.expire(
        advocate_idle=IDLE, caller_gone=GONE, disconnect_grace=GRACE, last_seen={"ana": at(1)}, now=at(20)
    )
    assert AuditLog(queue.engine).entries(handoff_id)[0]["detail"]["why"] == "advocate idle"


def test_expire_leaves_closed_and_returned_requests_alone(queue):
    resolved = queue.request("c1", reason="caller_request", now=T0)
    queue.resolve(resolved, "ana", "referred", now=at(1))
    returned = queue.request("c2", reason="caller_request", now=T0)
    queue.claim(returned, "ana", now=at(1))
    queue.hand_back(returned, "ana", now=at(2))
    assert queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(600)) == []
    assert queue.get(resolved)["state"] == "resolved" and queue.get(returned)["state"] == "returned_to_bot"


# -- time zones -------------------------------------------------------------------------


def test_every_time_comes_back_timezone_aware(queue):
    handoff_id = queue.request("c1", reason="crisis", priority="urgent", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    queue.hand_back(handoff_id, "ana", now=at(2))
    record = queue.resolve(handoff_id, "ana", "crisis_handled", now=at(3))
    assert all(record[field] is not None for field in TIME_FIELDS if field != "abandoned_at")
    assert_aware(record)
    assert record["crisis_at"] == T0 and record["returned_at"] == at(2)
    for listed in (queue.latest_for("c1"), queue.history()[0]):
        assert_aware(listed)
    waiting = queue.request("c2", reason="caller_request", now=T0)
    assert_aware(queue.get(waiting))
    assert_aware(queue.active()[0])
    assert_aware(queue.open_for("c2"))


def test_default_times_are_now_in_utc(queue):
    before = datetime.now(timezone.utc)
    handoff_id = queue.request("c1", reason="caller_request")
    after = datetime.now(timezone.utc)
    record = queue.get(handoff_id)
    assert_aware(record)
    assert before - timedelta(seconds=1) <= record["requested_at"] <= after + timedelta(seconds=1)


def test_a_time_given_in_another_zone_is_stored_as_the_same_moment(queue):
    new_york = datetime(2024, 7, 1, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    handoff_id = queue.request("c1", reason="caller_request", now=new_york)
    record = queue.get(handoff_id)
    assert record["requested_at"] == new_york
    assert record["requested_at"] == datetime(2024, 7, 1, 13, 0, tzinfo=timezone.utc)


# -- known race: expire acts on what it read, not on what is there when it acts ---------------


def test_expire_does_not_abandon_a_request_claimed_after_it_looked(queue, monkeypatch):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    seen = queue.active()
    queue.claim(handoff_id, "ana", now=at(30))  # an advocate claims between expire's read and its write
    monkeypatch.setattr(queue, "active", lambda: seen)
    queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(30))
    assert queue.get(handoff_id)["state"] == "with_advocate"


def test_expire_does_not_release_another_advocates_fresh_claim(queue, monkeypatch):
    handoff_id = queue.request("c1", reason="caller_request", now=T0)
    queue.claim(handoff_id, "ana", now=at(1))
    seen = queue.active()
    queue.release(handoff_id, "ana", "break", now=at(20))  # ana leaves and ben takes it meanwhile
    queue.claim(handoff_id, "ben", now=at(20))
    monkeypatch.setattr(queue, "active", lambda: seen)
    queue.expire(advocate_idle=IDLE, caller_gone=GONE, now=at(20))
    assert queue.get(handoff_id)["holder"] == "ben"
