"""Rasa's Redis lock store, with each change to a lock made in one step.

Rasa handles a conversation's messages one at a time by giving each a ticket in the
conversation's ``TicketLock`` and serving the tickets in order. Its ``RedisLockStore`` reads the
lock, changes it in the process and writes it back: two processes that take a ticket at the
same moment both read the same lock, both take the same number, and both go ahead; one that
finishes can delete the lock under a ticket another process has just taken. With several Rasa
processes (bot/workers.py) that lost a caller's message from the transcript in
``tests/channels/test_workers.py`` (8 messages sent at once to two processes; Rasa's open-source
release has no other Redis lock store). Here every read-change-write of a lock is a Redis
transaction (WATCH, then MULTI/EXEC, again if another process wrote the lock in between), so
the tickets are issued and served as they are in one process. Everything else is Rasa's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket steps cannot interleave across processes. Made from
    keyword arguments as Rasa's is, or from an ``endpoints.yml`` entry naming this class."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply ``change`` to the stored lock (a new one if none is stored) in one transaction;
        a lock left with no ticket is deleted."""
        key = self.key_prefix + conversation_id
        outcome: list[T] = []

        def step(pipe: Any) -> None:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else self.create_lock(conversation_id)
            outcome[:] = [change(lock)]
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)

        self.red.transaction(step, key)
        return outcome[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the ticket deletes the lock when it was the last one, in the same step.
        self.finish_serving(conversation_id, ticket_number)
