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

from bot.copy import say
from bot.limits import ALLOWED, Decision, SlidingWindow
from bot.safety.detector import assess

WINDOW_SECONDS = 60.0
# What a caller sending too fast is told (the catalog's channel.slow_down; this is the English).
SLOW_DOWN = say("channel.slow_down")


def _per_minute(name: str, default: int) -> int:
    return max(1, int(os.environ.get(name, str(default))))


@dataclass
class MessageLimits:
    """Per-conversation and per-integration message rates, from the environment:
    WAYFINDER_MESSAGES_PER_MINUTE (each conversation, default 30) and
    WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE (each REST integration, default 600)."""

    conversation: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(
            _per_minute("WAYFINDER_MESSAGES_PER_MINUTE", 30), WINDOW_SECONDS
        )
    )
    client: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(
            _per_minute("WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE", 600), WINDOW_SECONDS
        )
    )
    # One "slow down" text per conversation per window: for SMS each one costs the caller.
    notices: SlidingWindow = field(default_factory=lambda: SlidingWindow(1, WINDOW_SECONDS))

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
