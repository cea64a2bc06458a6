"""Requests to the action server: only the events it has not seen, written by ujson.

Every custom action call sends the whole conversation (``RemoteAction._action_call_format``): about
570 kB of JSON at turn 100 of a conversation, written on the Rasa server's event loop, sent, read and
turned into a tracker by the action server, for each action (issue 13). So:

- **Events in parts** (``bot.channels.action_calls``): once the action server has answered a call,
  the next one sends only the events it does not hold, and is sent again whole if it answers 409.
- **ujson** writes the body: ``json.dumps`` of a whole conversation was 6 ms at turn 100 against
  2 ms. A body ujson cannot write is written by ``json.dumps`` as before.

``bot.channels.server`` gives the Rasa server this endpoint in place of Rasa's.
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from typing import Any

import aiohttp
import ujson
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, ClientResponseError, EndpointConfig

from bot.channels import timings
from bot.channels.action_calls import (
    DEFAULT_CONVERSATIONS,
    EVENTS_BEFORE,
    EVENTS_CHECK,
    EVENTS_HELD,
    UNKNOWN_EVENTS,
    call_events,
    events_check,
)


def dumps(body: Any) -> str:
    try:
        return ujson.dumps(body, ensure_ascii=False, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(body)


class ActionEndpoint(EndpointConfig):
    """Rasa's endpoint configuration: action calls in parts, JSON written by ujson."""

    def __init__(self, *args: Any, conversations: int = DEFAULT_CONVERSATIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conversations = conversations
        # per conversation, the timestamps of the events the action server holds
        self.held: OrderedDict[str, list[Any]] = OrderedDict()
        self.calls: Counter[str] = Counter()  # whole, in parts, sent again whole

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        body = kwargs.get("json")
        events = call_events(body)
        if events is None:
            return await super().request(method, subpath, content_type, compress, **kwargs)
        sender = body["sender_id"]
        timestamps = [event.get("timestamp") for event in events]
        before = _shared_start(self.held.pop(sender, ()), timestamps)
        if before:
            in_parts = {
                **body,
                "tracker": {**body["tracker"], "events": events[before:]},
                EVENTS_BEFORE: before,
                EVENTS_CHECK: events_check(events, before),
            }
            try:
                answer = await super().request(
                    method, subpath, content_type, compress, **{**kwargs, "json": in_parts}
                )
            except ClientResponseError as error:
                if error.status != UNKNOWN_EVENTS:
                    raise
                self._count("sent again whole")
            else:
                self._count("in parts")
                return self._held_there(answer, sender, timestamps)
        self._count("whole")
        answer = await super().request(method, subpath, content_type, compress, **kwargs)
        return self._held_there(answer, sender, timestamps)

    def _count(self, kind: str) -> None:
        self.calls[kind] += 1
        if timings.enabled():
            timings.record(f"action call: sent {kind}", 0.0)

    def _held_there(self, answer: Any, sender: str, timestamps: list[Any]) -> Any:
        """The answer, without the action server's word that it holds the events; remembered
        only when it gave it."""
        if isinstance(answer, dict) and answer.pop(EVENTS_HELD, False) is True:
            self.held[sender] = timestamps
            while len(self.held) > self.conversations:
                self.held.popitem(last=False)
        return answer

    @classmethod
    def of(cls, endpoint: EndpointConfig, conversations: int = DEFAULT_CONVERSATIONS) -> ActionEndpoint:
        return cls(
            url=endpoint.url,
            params=endpoint.params,
            headers=endpoint.headers,
            basic_auth=endpoint.basic_auth,
            token=endpoint.token,
            token_name=endpoint.token_name,
            cafile=endpoint.cafile,
            type=endpoint.type,
            conversations=conversations,
            **endpoint.kwargs,
        )

    def session(self) -> aiohttp.ClientSession:
        # As EndpointConfig.session, with the serialiser.
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        return aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=dumps,
        )


def _shared_start(held: list[Any], timestamps: list[Any]) -> int:
    """How many events the call begins with that the action server holds. A form's validation
    is called with events of its own after the conversation's (Rasa's temporary tracker), so
    the next call shares the conversation's events but not those."""
    shared = 0
    for old, new in zip(held, timestamps):  # noqa: B905 (either may be longer)
        if old != new:
            break
        shared += 1
    return shared
