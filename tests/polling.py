"""Waiting for what real servers do a moment later (a broker poll, an upkeep pass, a sent text)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from bot.run import answers

__all__ = ["answers", "eventually"]

T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 60.0, interval: float = 0.2) -> T:
    """``check()``'s first truthy result, or its last falsy one once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(interval)
    return result
