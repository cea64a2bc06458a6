"""Handoffs to human advocates: the queue and its states, and what the assistant learned."""

from bot.handoff.queue import (
    DISPOSITIONS,
    PRIORITIES,
    STATES,
    HandoffConflict,
    HandoffError,
    HandoffQueue,
)

__all__ = ["DISPOSITIONS", "PRIORITIES", "STATES", "HandoffConflict", "HandoffError", "HandoffQueue"]
