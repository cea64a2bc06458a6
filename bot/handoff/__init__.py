"""Handing a conversation to a human advocate: the queue of requests."""

from bot.handoff.queue import PRIORITIES, HandoffQueue

__all__ = ["PRIORITIES", "HandoffQueue"]
