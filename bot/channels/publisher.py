"""Events published to the broker off the turn: one writer thread per process, in order.

A turn used to wait for the broker's commit after its own (at 20 concurrent conversations,
a fifth of the turn went there). The console only needs the events soon and whole, so a
save hands them here and returns. One thread writes what is waiting, oldest first, several
turns in one transaction when they pile up. A database error is tried again until it
passes, the batch kept at the head of the line, so the feed stays whole and in order; past
``max_pending`` waiting events (a database down for long) the oldest are dropped, and said
so in the log. ``flush`` waits until everything handed over is written: the server calls
it when it stops, and ``atexit`` at the latest.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

logger = logging.getLogger(__name__)

Body = dict[str, Any]


class BackgroundPublisher:
    def __init__(
        self,
        write: Callable[[list[Body]], None],
        passing_errors: tuple[type[BaseException], ...],
        max_batch: int = 500,
        max_pending: int = 100_000,
        pauses: Sequence[float] = (0.5, 1.5, 5.0),
    ) -> None:
        self._write = write
        self._passing_errors = passing_errors
        self.max_batch = max_batch
        self.max_pending = max_pending
        self._pauses = tuple(pauses)
        self._pending: deque[Body] = deque()
        self._writing = 0  # events taken by the thread and not yet written
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def publish(self, bodies: Sequence[Body]) -> None:
        """Hand events over to be written; returns at once."""
        with self._condition:
            self._pending.extend(bodies)
            overflow = len(self._pending) - self.max_pending
            if overflow > 0:
                for _ in range(overflow):
                    self._pending.popleft()
                self.dropped += overflow
                logger.error(
                    "event broker: %d events dropped, unwritten (the console misses them live; "
                    "the transcript has them)",
                    overflow,
                )
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="broker-publisher", daemon=True)
                self._thread.start()
                atexit.register(self.flush, 5.0)
            self._condition.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every event handed over is written; False if ``timeout`` came first."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._pending and not self._writing, timeout)

    @property
    def waiting(self) -> int:
        with self._condition:
            return len(self._pending) + self._writing

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: bool(self._pending))
                batch = [self._pending.popleft() for _ in range(min(len(self._pending), self.max_batch))]
                self._writing = len(batch)
            try:
                self._write_patiently(batch)
            finally:
                with self._condition:
                    self._writing = 0
                    self._condition.notify_all()

    def _write_patiently(self, batch: list[Body]) -> None:
        attempt = 0
        while True:
            try:
                self._write(batch)
                return
            except self._passing_errors as error:
                pause = self._pauses[min(attempt, len(self._pauses) - 1)]
                attempt += 1
                # The driver's message only: SQLAlchemy's own text quotes the statement's values.
                logger.warning(
                    "event broker: writing %d events failed (attempt %d), again in %.1f s: %s",
                    len(batch),
                    attempt,
                    pause,
                    getattr(error, "orig", type(error).__name__),
                )
                time.sleep(pause)
            except Exception:
                logger.exception(
                    "event broker: %d events could not be written (the console misses them live; "
                    "the transcript has them)",
                    len(batch),
                )
                return
