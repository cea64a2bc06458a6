"""What the NLU decided about safety for the message being handled now.

The crisis rule layer runs inside the Rasa server's NLU pipeline, in the same
task as the channel that received the message. The channel opens a ``Turn``
before handing the message to Rasa; the rule layer writes its verdict into it;
the channel reads it afterwards to make sure a crisis got its answer even when
the action server could not give one. Outside a channel (``/model/parse``,
training, tests) no turn is open and nothing is recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from bot.safety.finding import Finding


@dataclass
class Turn:
    """One caller message on its way through the Rasa server."""

    text: str
    crisis: bool = False
    level: str | None = None  # imminent | possible
    finding: Finding | None = None
    decided: asyncio.Event = field(default_factory=asyncio.Event)  # set when the rule layer recorded


_current: ContextVar[Turn | None] = ContextVar("wayfinder_turn", default=None)


@contextmanager
def open_turn(text: str) -> Iterator[Turn]:
    turn = Turn(text=text)
    token = _current.set(turn)
    try:
        yield turn
    finally:
        _current.reset(token)


def record(text: str, crisis: bool, level: str | None, finding: Finding) -> None:
    """The rule layer's verdict on ``text``, kept for the open turn whose message it is."""
    turn = _current.get()
    if turn is not None and turn.text.strip() == text.strip():
        turn.crisis, turn.level, turn.finding = crisis, level, finding
        turn.decided.set()
