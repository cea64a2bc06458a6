"""The benchmark's timers (bot/channels/timings.py): each step's calls and time, lock waits included."""

from __future__ import annotations

import asyncio

from rasa.core.lock_store import InMemoryLockStore

from bot.channels import timings


class Step:
    def parse(self, text: str) -> str:
        return text.upper()

    async def fetch(self, delay: float) -> float:
        await asyncio.sleep(delay)
        return delay


def test_sync_and_async_steps_are_counted_and_timed(monkeypatch):
    monkeypatch.setattr(timings, "_spans", type(timings._spans)(lambda: [0, 0.0]))
    timings._wrap(Step, "parse", "parse")
    timings._wrap(Step, "fetch", lambda step: f"fetch by {type(step).__name__}")
    timings._wrap(Step, "parse", "parse again")  # wrapping twice keeps one timer

    step = Step()
    assert step.parse("hi") == "HI"
    assert asyncio.run(step.fetch(0.02)) == 0.02

    spans = timings.snapshot()
    assert spans["parse"]["calls"] == 1 and "parse again" not in spans
    # asyncio's clock may wake a sleep a little before perf_counter's 20 ms: a loose bound
    assert spans["fetch by Step"]["calls"] == 1 and spans["fetch by Step"]["seconds"] >= 0.01


def test_the_time_waiting_for_a_conversations_lock_is_recorded(monkeypatch):
    monkeypatch.setattr(timings, "_spans", type(timings._spans)(lambda: [0, 0.0]))
    store = InMemoryLockStore()
    lock = timings._timed_lock(InMemoryLockStore.lock)

    async def turn(hold: float) -> None:
        async with lock(store, "caller-1", wait_time_in_seconds=0.01):
            await asyncio.sleep(hold)

    async def two_turns() -> None:
        await asyncio.gather(turn(0.1), turn(0))

    asyncio.run(two_turns())

    waited = timings.snapshot()["lock: waiting for the conversation"]
    assert waited["calls"] == 2 and waited["seconds"] >= 0.05  # the second turn waited for the first (0.1 s)
