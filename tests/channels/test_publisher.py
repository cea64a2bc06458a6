"""The broker's writer thread: events handed over are written in order, whole, off the turn."""

from __future__ import annotations

import threading

import pytest

from bot.channels.publisher import BackgroundPublisher


class PassingError(Exception):
    """A database error that may pass (a lock, a dropped connection)."""


class Table:
    """A broker table whose writes can be held back or made to fail."""

    def __init__(self, failures: int = 0) -> None:
        self.rows: list[dict] = []
        self.batches: list[int] = []
        self.open = threading.Event()
        self.open.set()
        self.entered = threading.Event()  # a write began
        self.failures = failures

    def write(self, batch: list[dict]) -> None:
        self.entered.set()
        self.open.wait()
        if self.failures:
            self.failures -= 1
            raise PassingError("database is locked")
        self.rows += batch
        self.batches.append(len(batch))


def events(*numbers: int) -> list[dict]:
    return [{"sender_id": "caller", "n": n} for n in numbers]


def test_events_are_written_in_the_order_handed_over():
    table = Table()
    publisher = BackgroundPublisher(table.write, (PassingError,))
    for n in range(20):
        publisher.publish(events(n))

    assert publisher.flush(timeout=10)
    assert [row["n"] for row in table.rows] == list(range(20))


def test_turns_that_pile_up_behind_a_slow_write_go_in_one_batch():
    table = Table()
    table.open.clear()
    publisher = BackgroundPublisher(table.write, (PassingError,))
    publisher.publish(events(0))
    for n in range(1, 6):
        publisher.publish(events(n))
    assert not publisher.flush(timeout=0.2)  # held back: flush says so instead of waiting forever

    table.open.set()
    assert publisher.flush(timeout=10)
    assert [row["n"] for row in table.rows] == list(range(6))
    assert len(table.batches) <= 2


def test_a_passing_error_is_tried_again_until_it_passes_and_nothing_is_lost_or_doubled():
    table = Table(failures=3)
    publisher = BackgroundPublisher(table.write, (PassingError,), pauses=(0.01,))
    publisher.publish(events(1, 2))
    publisher.publish(events(3))

    assert publisher.flush(timeout=10)
    assert [row["n"] for row in table.rows] == [1, 2, 3]


def test_another_error_drops_only_its_batch_and_the_writer_goes_on(caplog):
    written: list[dict] = []

    def write(batch: list[dict]) -> None:
        if any(event["n"] == "bad" for event in batch):
            raise ValueError("cannot be stored")
        written.extend(batch)

    publisher = BackgroundPublisher(write, (PassingError,))
    publisher.publish(events("bad"))
    assert publisher.flush(timeout=10)
    publisher.publish(events(2))

    assert publisher.flush(timeout=10)
    assert [row["n"] for row in written] == [2]
    assert "could not be written" in caplog.text


def test_past_the_limit_the_oldest_waiting_events_are_dropped_and_counted(caplog):
    table = Table()
    table.open.clear()
    publisher = BackgroundPublisher(table.write, (PassingError,), max_pending=3)
    publisher.publish(events(0))
    assert table.entered.wait(timeout=10)  # the thread holds 0, waiting at the closed table
    publisher.publish(events(1, 2, 3, 4))

    table.open.set()
    assert publisher.flush(timeout=10)
    assert publisher.dropped == 1
    assert [row["n"] for row in table.rows] == [0, 2, 3, 4]
    assert "1 events dropped" in caplog.text


@pytest.mark.parametrize("handed_over", [0, 1])
def test_flush_returns_at_once_when_everything_is_written(handed_over):
    table = Table()
    publisher = BackgroundPublisher(table.write, (PassingError,))
    if handed_over:
        publisher.publish(events(1))
    assert publisher.flush(timeout=10)
    assert publisher.waiting == 0
