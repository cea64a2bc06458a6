"""Requests to the action server, serialised by ujson rather than the standard library's json.

Every custom action call sends the whole conversation (``RemoteAction._action_call_format``): about
570 kB of JSON at turn 100 of a conversation. aiohttp serialises it with ``json.dumps`` on the Rasa
server's event loop, 6 ms a call there, against 2 ms with ujson (issue 13); the action server's
Sanic already reads requests with ujson. A body ujson cannot write (an integer beyond 64 bits, an
object it does not know) is written by ``json.dumps`` as before, so no request changes meaning.
``bot.channels.server`` gives the Rasa server this endpoint in place of Rasa's.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import ujson
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig


def dumps(body: Any) -> str:
    try:
        return ujson.dumps(body, ensure_ascii=False, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(body)


class ActionEndpoint(EndpointConfig):
    """Rasa's endpoint configuration, with sessions that write JSON bodies with ujson."""

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> ActionEndpoint:
        return cls(
            url=endpoint.url,
            params=endpoint.params,
            headers=endpoint.headers,
            basic_auth=endpoint.basic_auth,
            token=endpoint.token,
            token_name=endpoint.token_name,
            cafile=endpoint.cafile,
            type=endpoint.type,
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
