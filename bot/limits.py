"""In-memory rate limits: how often a key (an account, an address, a conversation) may act.

Two limiters, both keyed by any hashable value and both told the time by a clock
(``time.monotonic`` unless a test passes its own):

- ``SlidingWindow(limit, window)``: at most ``limit`` events in any ``window`` seconds;
  ``allow(key)`` counts the event when it is allowed. For message and request rates.
- ``FailureLimit(...)``: failures slow a key down and then lock it out; for sign-in.
  ``begin(key)`` asks before an attempt, ``fail(key)`` / ``succeed(key)`` / ``end(key)``
  say how it went.

Both answer with a ``Decision(allowed, retry_after)``. Their counts live in this process.
``SharedSlidingWindow`` keeps a sliding window's counts in Redis instead, so that several
processes (``WAYFINDER_RASA_WORKERS``, bot/workers.py) hold a key to one limit together.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
# Keys are forgotten oldest first beyond this many, so a flood of new keys cannot exhaust memory.
MAX_KEYS = 100_000


@dataclass(frozen=True)
class Decision:
    """Whether the key may go ahead; if not, in how many seconds it may try again."""

    allowed: bool
    retry_after: float = 0.0
    # FailureLimit only: the key is locked out (not merely slowed down).
    locked: bool = False

    @property
    def retry_after_header(self) -> str:
        """The value of an HTTP Retry-After header: whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))


ALLOWED = Decision(True)


class _Keyed:
    """A bounded map from key to state, oldest-used first, behind one lock."""

    def __init__(self, clock: Clock, max_keys: int) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self._state: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def _touch(self, key: Hashable, new: Callable[[], object]) -> object:
        state = self._state.get(key)
        if state is None:
            state = self._state[key] = new()
            while len(self._state) > self.max_keys:
                self._state.popitem(last=False)
        else:
            self._state.move_to_end(key)
        return state

    def reset(self, key: Hashable) -> None:
        """Forget everything about ``key``."""
        with self._lock:
            self._state.pop(key, None)


def _check_window(limit: int, window: float) -> None:
    if limit < 1 or window <= 0:
        raise ValueError("a sliding window needs a limit of at least 1 and a positive window")


class SlidingWindow(_Keyed):
    """At most ``limit`` events per key in any ``window`` seconds."""

    def __init__(
        self, limit: int, window: float, clock: Clock = time.monotonic, max_keys: int = MAX_KEYS
    ) -> None:
        _check_window(limit, window)
        super().__init__(clock, max_keys)
        self.limit = limit
        self.window = window

    def allow(self, key: Hashable) -> Decision:
        """May ``key`` act now? When it may, the event is counted."""
        now = self.clock()
        with self._lock:
            events: deque[float] = self._touch(key, deque)  # type: ignore[assignment]
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return Decision(False, events[0] + self.window - now)
            events.append(now)
            return ALLOWED


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0
    in_flight: int = 0


class FailureLimit(_Keyed):
    """Failed attempts per key: the first ``free`` cost nothing; each further one makes the key
    wait ``delay`` seconds, doubling up to ``max_delay``, before its next attempt; the
    ``lock_after``-th locks the key out for ``lock_seconds``. Failures are forgotten
    ``forget_after`` seconds after the last one, and when a lockout ends.

    Attempts run concurrently (a password check takes a while), so ``begin`` counts an
    allowed attempt as in flight until ``fail``, ``succeed`` or ``end``: no more attempts
    may be in flight than failures are left before the delays start, and once they have
    started only one, so parallel guessers cannot all pass the check at once.
    """

    def __init__(
        self,
        free: int,
        lock_after: int,
        lock_seconds: float,
        delay: float = 1.0,
        max_delay: float = 60.0,
        forget_after: float | None = None,
        clock: Clock = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        if not 0 <= free < lock_after:
            raise ValueError("free failures must be fewer than the failures that lock a key")
        super().__init__(clock, max_keys)
        self.free = free
        self.lock_after = lock_after
        self.lock_seconds = lock_seconds
        self.delay = delay
        self.max_delay = max_delay
        self.forget_after = lock_seconds if forget_after is None else forget_after

    def wait_after(self, failures: int) -> float:
        """How long a key must wait after its ``failures``-th failure (0 while still free)."""
        if failures <= self.free:
            return 0.0
        return min(self.max_delay, self.delay * 2 ** (failures - self.free - 1))

    def _current(self, key: Hashable, now: float) -> _Failures:
        state: _Failures = self._touch(key, _Failures)  # type: ignore[assignment]
        if state.locked_until and state.locked_until <= now:
            state.count, state.locked_until = 0, 0.0  # the lockout is over: a fresh start
        elif not state.locked_until and state.count and now - state.last >= self.forget_after:
            state.count = 0
        return state

    def _decision(self, state: _Failures, now: float) -> Decision:
        if state.locked_until > now:
            return Decision(False, state.locked_until - now, locked=True)
        ready_at = state.last + self.wait_after(state.count)
        if ready_at > now:
            return Decision(False, ready_at - now)
        if state.in_flight >= max(1, self.free - state.count):
            # Another attempt is being checked; it decides whether this one may follow.
            return Decision(False, max(self.delay, 1.0))
        return ALLOWED

    def check(self, key: Hashable) -> Decision:
        """Whether ``key`` could try now, without starting an attempt."""
        now = self.clock()
        with self._lock:
            return self._decision(self._current(key, now), now)

    def begin(self, key: Hashable) -> Decision:
        """Ask before an attempt; when allowed, the attempt is in flight until it is ended."""
        now = self.clock()
        with self._lock:
            state = self._current(key, now)
            decision = self._decision(state, now)
            if decision.allowed:
                state.in_flight += 1
            return decision

    def fail(self, key: Hashable) -> Decision:
        """The attempt failed. Returns what the key's next attempt faces; ``locked`` is true
        when this failure began a lockout."""
        now = self.clock()
        with self._lock:
            state = self._current(key, now)
            state.in_flight = max(0, state.in_flight - 1)
            if state.locked_until > now:
                return Decision(False, state.locked_until - now, locked=True)
            state.count += 1
            state.last = now
            if state.count >= self.lock_after:
                state.locked_until = now + self.lock_seconds
                return Decision(False, self.lock_seconds, locked=True)
            wait = self.wait_after(state.count)
            return Decision(False, wait) if wait else ALLOWED

    def succeed(self, key: Hashable) -> None:
        """The attempt succeeded: the key's failures are forgotten."""
        with self._lock:
            self._state.pop(key, None)

    def end(self, key: Hashable) -> None:
        """The attempt ended without counting either way (e.g. an address whose sign-in
        succeeded: one good account must not wipe the failures tried on others)."""
        with self._lock:
            state = self._state.get(key)
            if state is not None:
                state.in_flight = max(0, state.in_flight - 1)  # type: ignore[attr-defined]


# One step in Redis, so that two processes never both take the last place in a window:
# forget events older than the window, refuse when it is full (with the oldest event's time),
# else count this one. KEYS[1]: the key's events; ARGV: now, window, limit, a unique member.
_SLIDING_WINDOW_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, oldest[2]}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
return {1, '0'}
"""


class SharedSlidingWindow:
    """``SlidingWindow`` with its counts in Redis under ``prefix``, shared by every process
    that names the same Redis and prefix. The time is this machine's clock (wall time, so
    that processes agree). When Redis cannot be reached the event is allowed: a limit that
    fails closed would silence every caller."""

    def __init__(
        self, client: object, prefix: str, limit: int, window: float, clock: Clock = time.time
    ) -> None:
        _check_window(limit, window)
        self.prefix = prefix
        self.limit = limit
        self.window = window
        self.clock = clock
        self._script = client.register_script(_SLIDING_WINDOW_SCRIPT)  # type: ignore[attr-defined]

    def allow(self, key: Hashable) -> Decision:
        """May ``key`` act now? When it may, the event is counted."""
        import redis

        now = self.clock()
        try:
            allowed, oldest = self._script(
                keys=[f"{self.prefix}:{key}"],
                args=[now, self.window, self.limit, f"{now}:{uuid.uuid4().hex}"],
            )
        except redis.RedisError as error:
            logger.warning("rate limit: Redis could not be reached (%s); the message is let through", error)
            return ALLOWED
        if allowed:
            return ALLOWED
        return Decision(False, max(0.0, float(oldest) + self.window - now))
