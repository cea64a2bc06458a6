"""Signals for the staff console that are not conversation events: the caller is typing,
the caller left. They go on Rasa's event broker (which the console follows), never into
the tracker, so they change nothing in the conversation itself."""

from __future__ import annotations

import time
from typing import Any

from bot.handoff.rasa_names import CALLER_LEFT, CALLER_TYPING

__all__ = ["CALLER_LEFT", "CALLER_TYPING", "signal_console"]


def signal_console(agent: Any, kind: str, sender_id: str | None) -> None:
    broker = getattr(getattr(agent, "tracker_store", None), "event_broker", None)
    if sender_id is None or broker is None:
        return
    signal = {"event": kind, "sender_id": sender_id, "timestamp": time.time()}
    # Through the broker's writer thread when it has one (bot/channels/publisher.py): in line
    # with the turns' events, and no commit on the server's event loop.
    publish_later = getattr(broker, "publish_later", None)
    if publish_later is not None:
        publish_later([signal])
    else:
        broker.publish(signal)
