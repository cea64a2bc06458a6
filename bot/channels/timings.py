"""Where a turn's time goes in the Rasa server, for ``bench/conversation.py``.

Off unless ``WAYFINDER_TIMINGS=1``: then the server wraps Rasa's steps with timers (the whole
turn, the lock wait, the NLU parse and each NLU component, the dialogue prediction and each
policy, each custom action call and the check of its response, tracker retrieve and save, the
broker) and serves the totals at ``GET /wayfinder/timings``; ``DELETE`` clears them. Spans nest
(a turn holds its parse), so they are reported side by side, never summed.

Times are wall time. A synchronous step (an NLU component, a policy) holds the event loop, so
its time is its own even under load; an awaited step's includes its waits (for the database,
the action server, the lock), which is what the caller waits for.
"""

from __future__ import annotations

import functools
import inspect
import os
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from typing import Any

from sanic import Sanic, response
from sanic.request import Request

ENABLED_ENV = "WAYFINDER_TIMINGS"
ROUTE = "/wayfinder/timings"

# name -> [calls, seconds]
_spans: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0])
_installed = False


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV) == "1"


def record(name: str, seconds: float) -> None:
    span = _spans[name]
    span[0] += 1
    span[1] += seconds


def snapshot() -> dict[str, dict[str, float]]:
    return {
        name: {"calls": int(calls), "seconds": seconds} for name, (calls, seconds) in sorted(_spans.items())
    }


def _timed(function: Any, name: Any) -> Any:
    """``function`` timed under ``name`` (a string, or a function of the call's ``self``)."""
    label = name if callable(name) else (lambda _self: name)
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def timed_async(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return await function(self, *args, **kwargs)
            finally:
                record(label(self), time.perf_counter() - started)

        return timed_async

    @functools.wraps(function)
    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return function(self, *args, **kwargs)
        finally:
            record(label(self), time.perf_counter() - started)

    return timed


def _wrap(cls: type, method: str, name: Any) -> None:
    if method in cls.__dict__ and not getattr(cls.__dict__[method], "_wayfinder_timed", False):
        wrapped = _timed(cls.__dict__[method], name)
        wrapped._wayfinder_timed = True
        setattr(cls, method, wrapped)


def _subclasses(cls: type) -> list[type]:
    found, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _timed_lock(lock: Any) -> Any:
    @asynccontextmanager
    async def timed_lock(self, conversation_id, *args, **kwargs):
        started = time.perf_counter()
        async with lock(self, conversation_id, *args, **kwargs) as ticket:
            record("lock: waiting for the conversation", time.perf_counter() - started)
            yield ticket

    timed_lock._wayfinder_timed = True
    return timed_lock


def install_timers() -> None:
    """Wrap Rasa's steps before the agent loads: its graph nodes keep the methods they find then.
    Every default component and ours is imported first, so that each class can be wrapped."""
    global _installed
    if _installed:
        return
    _installed = True
    import importlib
    import pkgutil

    import rasa.engine.recipes.default_components  # noqa: F401  (imports every default component)
    from rasa.core.actions.action import RemoteAction
    from rasa.core.lock_store import LockStore
    from rasa.core.policies.policy import Policy
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphComponent

    import components
    from bot.channels.stores import WayfinderTrackerStore

    _wrap(MessageProcessor, "handle_message", "turn (whole)")
    _wrap(MessageProcessor, "parse_message", "nlu: parse (whole)")
    _wrap(MessageProcessor, "_predict_next_with_tracker", "dialogue: predict next action (whole)")
    _wrap(RemoteAction, "run", lambda action: f"action call: {action.name()}")
    _wrap(RemoteAction, "_validate_action_result", "action call: check the response's schema")
    _wrap(WayfinderTrackerStore, "retrieve", "tracker store: retrieve")
    _wrap(WayfinderTrackerStore, "save", "tracker store: save (with its event count)")
    # Handing the events to the broker's writer thread, which writes them off the turn.
    _wrap(WayfinderTrackerStore, "_publish", "event broker: hand over")
    for module in pkgutil.iter_modules(components.__path__):
        importlib.import_module(f"components.{module.name}")
    for policy in _subclasses(Policy):
        _wrap(policy, "predict_action_probabilities", f"policy: {policy.__name__}")
    for component in _subclasses(GraphComponent):
        if not issubclass(component, Policy):
            _wrap(component, "process", f"nlu: {component.__name__}")
    for store in [LockStore, *_subclasses(LockStore)]:
        if "lock" in store.__dict__ and not getattr(store.__dict__["lock"], "_wayfinder_timed", False):
            store.lock = _timed_lock(store.__dict__["lock"])


def install(app: Sanic) -> None:
    """The timers and their route, when WAYFINDER_TIMINGS=1 (benchmarks only). Call it before
    the listener that loads the agent is registered: listeners run in that order."""
    if not enabled():
        return

    @app.route(ROUTE, methods=["GET", "DELETE"])
    async def timings(request: Request):
        if request.method == "DELETE":
            _spans.clear()
        return response.json(snapshot())

    async def before_start(_app: Sanic, _loop: Any) -> None:
        install_timers()

    app.register_listener(before_start, "before_server_start")
