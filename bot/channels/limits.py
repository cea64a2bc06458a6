"""How often a caller or an integration may send messages, in every channel.

Each channel asks ``MessageLimits.admit`` before a message goes to the assistant, with
the keys it limits by (the conversation; for REST also the integration). A message
over a limit is not passed on, and the channel says so kindly (REST: 429 with
Retry-After). A message the crisis detector reads as a crisis is always passed on,
whatever the limits say: a flood must never cost a caller at risk their answer.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cache

from bot.copy import say
from bot.limits import ALLOWED, Decision, SharedSlidingWindow, SlidingWindow
from bot.safety.detector import assess
from bot.workers import KEY_PREFIX, redis_url

WINDOW_SECONDS = 60.0
# What a caller sending too fast is told (the catalog's channel.slow_down; this is the English).
SLOW_DOWN = say("channel.slow_down")


def _per_minute(name: str, default: int) -> int:
    return max(1, int(os.environ.get(name, str(default))))


@cache
def _redis_client(url: str) -> object:
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def _window(name: str, limit: int) -> SlidingWindow | SharedSlidingWindow:
    """Counted in this process, or, with several Rasa processes, in the Redis they share
    (bot/workers.py), so that a caller's limit is the same however many there are."""
    url = redis_url()
    if url is None:
        return SlidingWindow(limit, WINDOW_SECONDS)
    return SharedSlidingWindow(_redis_client(url), f"{KEY_PREFIX}:rate:{name}", limit, WINDOW_SECONDS)


@dataclass
class MessageLimits:
    """Per-conversation and per-integration message rates, from the environment:
    WAYFINDER_MESSAGES_PER_MINUTE (each conversation, default 30) and
    WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE (each REST integration, default 600)."""

    conversation: SlidingWindow | SharedSlidingWindow = field(
        default_factory=lambda: _window("conversation", _per_minute("WAYFINDER_MESSAGES_PER_MINUTE", 30))
    )
    client: SlidingWindow | SharedSlidingWindow = field(
        default_factory=lambda: _window(
            "client", _per_minute("WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE", 600)
        )
    )
    # One "slow down" text per conversation per window: for SMS each one costs the caller.
    notices: SlidingWindow | SharedSlidingWindow = field(default_factory=lambda: _window("notices", 1))

    def admit(self, text: str, conversation_id: str, client: Hashable | None = None) -> Decision:
        """Whether this message may go to the assistant now."""
        refused = [
            decision
            for decision in (
                self.conversation.allow(conversation_id),
                self.client.allow(client) if client is not None else ALLOWED,
            )
            if not decision.allowed
        ]
        if not refused or assess(text).is_crisis:
            return ALLOWED
        return max(refused, key=lambda decision: decision.retry_after)

    def should_notify(self, conversation_id: str) -> bool:
        """Whether to tell this conversation it was slowed down (once per window)."""
        return self.notices.allow(conversation_id).allowed
