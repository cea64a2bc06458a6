"""bot.limits with a clock the test turns: the sign-in limiter's delays, lockout and reset, and the
sliding window other channels use. The console's own throttling is tested through the real
console in test_console_security.py."""

from __future__ import annotations

import pytest

from bot.limits import FailureLimit, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def failing(limit: FailureLimit, key: str):
    """One attempt that fails: it must have been allowed; returns what the next attempt faces."""
    assert limit.begin(key).allowed
    return limit.fail(key)


def test_failures_beyond_the_free_ones_wait_twice_as_long_each_time_then_lock():
    clock = Clock()
    limit = FailureLimit(free=2, lock_after=6, lock_seconds=900, delay=1, max_delay=4, clock=clock)
    waits = []
    for _ in range(5):
        after = failing(limit, "sam")
        waits.append(after.retry_after)
        assert not after.locked
        clock.advance(after.retry_after)
    assert waits == [0, 0, 1, 2, 4]

    locked = failing(limit, "sam")
    assert locked.locked and locked.retry_after == 900
    clock.advance(899)
    still = limit.begin("sam")
    assert not still.allowed and still.locked and still.retry_after == pytest.approx(1)
    clock.advance(1)
    assert limit.begin("sam").allowed, "a lockout ends"
    assert limit.fail("sam").retry_after == 0, "and the key starts afresh"


def test_an_attempt_during_the_delay_is_refused_and_does_not_count():
    clock = Clock()
    limit = FailureLimit(free=0, lock_after=3, lock_seconds=900, delay=10, clock=clock)
    assert failing(limit, "sam").retry_after == 10
    clock.advance(4)
    refused = limit.begin("sam")
    assert not refused.allowed and refused.retry_after == pytest.approx(6) and not refused.locked
    assert refused.retry_after_header == "6"
    clock.advance(6)
    assert failing(limit, "sam").retry_after == 20, "the refused attempt was not a failure"


def test_success_forgets_the_failures_and_keys_are_apart():
    clock = Clock()
    limit = FailureLimit(free=1, lock_after=5, lock_seconds=900, clock=clock)
    failing(limit, "sam")
    assert failing(limit, "sam").retry_after == 1
    assert limit.begin("lee").allowed, "another key is not slowed down"
    limit.end("lee")
    clock.advance(1)
    assert limit.begin("sam").allowed
    limit.succeed("sam")
    assert failing(limit, "sam").retry_after == 0


def test_failures_are_forgotten_after_a_quiet_while():
    clock = Clock()
    limit = FailureLimit(free=1, lock_after=3, lock_seconds=900, forget_after=60, clock=clock)
    failing(limit, "sam")
    clock.advance(60)
    assert failing(limit, "sam").retry_after == 0


def test_parallel_attempts_cannot_all_pass_the_check():
    limit = FailureLimit(free=3, lock_after=10, lock_seconds=900, clock=Clock())
    started = [limit.begin("sam").allowed for _ in range(8)]
    assert started == [True] * 3 + [False] * 5
    for _ in range(3):
        limit.fail("sam")
    assert limit.begin("sam").allowed
    assert not limit.begin("sam").allowed, "past the free failures, one attempt at a time"


def test_ending_an_attempt_keeps_the_failures():
    clock = Clock()
    limit = FailureLimit(free=1, lock_after=3, lock_seconds=900, clock=clock)
    failing(limit, "10.0.0.1")
    assert limit.begin("10.0.0.1").allowed
    limit.end("10.0.0.1")
    assert failing(limit, "10.0.0.1").retry_after == 1


def test_the_sliding_window_allows_its_limit_per_window():
    clock = Clock()
    window = SlidingWindow(limit=3, window=60, clock=clock)
    assert [window.allow("a").allowed for _ in range(3)] == [True, True, True]
    refused = window.allow("a")
    assert not refused.allowed and refused.retry_after == 60
    assert window.allow("b").allowed
    clock.advance(30)
    assert window.allow("a").retry_after == 30, "refused events are not counted"
    clock.advance(30)
    assert window.allow("a").allowed
    window.reset("a")
    assert [window.allow("a").allowed for _ in range(3)] == [True, True, True]


def test_a_flood_of_keys_is_bounded():
    window = SlidingWindow(limit=1, window=60, clock=Clock(), max_keys=10)
    for n in range(100):
        window.allow(n)
    assert len(window._state) == 10
    assert window.allow(99).allowed is False and window.allow(0).allowed is True
