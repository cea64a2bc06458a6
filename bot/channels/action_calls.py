"""Action calls in parts: the protocol between the Rasa server and the action server (issue 13).

Every custom action call carries the whole conversation. Once the action server has answered one,
it holds the conversation's events (``HeldConversations``), and the Rasa server's next call sends
only the events after those it shares with them (``bot.channels.action_requests``), with how many
came before and the timestamps of the first and the last of those. An action server that does not hold exactly those
events (restarted, another replica, a conversation it let go) answers ``UNKNOWN_EVENTS`` and the call
is sent again whole; actions always see the whole conversation. Only an action server whose
answers say it holds the events (``EVENTS_HELD``) is sent calls in parts, so an action server
without this protocol (an older release) gets every call whole. No Rasa import here: the action
server runs on rasa_sdk alone.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

EVENTS_BEFORE = "wayfinder_events_before"  # how many events the action server already holds
EVENTS_CHECK = "wayfinder_events_check"  # the timestamps of the first and the last of those
EVENTS_HELD = "wayfinder_events_held"  # in an answer: this server now holds the call's events
UNKNOWN_EVENTS = 409  # the action server's answer when it does not hold exactly those events
DEFAULT_CONVERSATIONS = 200
DEFAULT_EVENTS = 20_000


def call_events(call: Any) -> list[dict[str, Any]] | None:
    """The events an action call carries, or None for any other body."""
    if not isinstance(call, dict) or not isinstance(call.get("sender_id"), str):
        return None
    tracker = call.get("tracker")
    events = tracker.get("events") if isinstance(tracker, dict) else None
    if not isinstance(events, list) or not all(isinstance(event, dict) for event in events[-1:]):
        return None
    return events


def events_check(events: list[dict[str, Any]], count: int) -> list[Any]:
    """What identifies the first ``count`` events of a conversation."""
    return [events[0].get("timestamp"), events[count - 1].get("timestamp")] if count else []


class HeldConversations:
    """The events of the conversations this action server answered last, least recently used
    first out, so that the Rasa server can send only what is new (bot/channels/action_requests.py).
    Bounded in conversations and in events: a 100-turn conversation is about 1,000 events and
    3 MB as Python objects, and the action server's memory bound is 250 MB."""

    def __init__(self, conversations: int = DEFAULT_CONVERSATIONS, events: int = DEFAULT_EVENTS) -> None:
        self.conversations = conversations
        self.most_events = events
        self._events: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._total = 0

    def put_together(self, sender: str, before: Any, check: Any, new: list[dict[str, Any]]) -> list | None:
        """The whole conversation from the events held and the new ones; None unless exactly the
        events the call counts on are held."""
        held = self._events.get(sender)
        if held is None or not isinstance(before, int) or not 0 < before <= len(held):
            return None
        if events_check(held, before) != check:
            return None
        return held[:before] + new

    def hold(self, sender: str, events: list[dict[str, Any]]) -> bool:
        """Holds the conversation's events; False when there are more than may be held at all."""
        self._total -= len(self._events.pop(sender, ()))
        if len(events) > self.most_events:
            return False
        self._events[sender] = events
        self._total += len(events)
        while len(self._events) > self.conversations or self._total > self.most_events:
            self._total -= len(self._events.popitem(last=False)[1])
        return True
