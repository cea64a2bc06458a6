"""The Rasa HTTP API, as the handoff desk uses it: read a conversation, speak into it, pause and resume it.

Every call is authenticated with a short-lived JWT in the ``Authorization`` header
(``bot.rasa_auth``), never a token in the URL. Every call that should reach the caller
names the caller's channel from the conversation id's prefix (``sms:``, ``web:``,
``rest:``), which the channel itself gave it; ``latest`` (the channel of the last user
message in the tracker) is only the fallback for ids without one (``bot.identity``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.handoff.conversations import ConversationsUnavailable
from bot.identity import output_channel_for as output_channel
from bot.rasa_auth import rasa_api_headers


class RasaUnavailable(ConversationsUnavailable):
    """The Rasa server did not answer, or refused; the message says which."""


@dataclass
class RasaClient:
    base_url: str
    jwt_secret: str
    timeout_seconds: float = 20.0

    def __post_init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def tracker(self, conversation_id: str) -> dict:
        return await self._call("GET", f"/conversations/{quote(conversation_id, safe='+:')}/tracker", {})

    async def append_events(self, conversation_id: str, events: list[dict]) -> dict:
        """Add events and carry out what they say (send bot messages to the caller's channel)."""
        stamped = [{**event, "timestamp": event.get("timestamp", time.time())} for event in events]
        return await self._call(
            "POST",
            f"/conversations/{quote(conversation_id, safe='+:')}/tracker/events",
            {"output_channel": output_channel(conversation_id), "execute_side_effects": "true"},
            stamped,
        )

    async def say(
        self, conversation_id: str, text: str, custom: dict | None = None, metadata: dict | None = None
    ) -> dict:
        event: dict[str, Any] = {"event": "bot", "text": text, "data": {}, "metadata": metadata or {}}
        if custom:
            event["data"]["custom"] = custom
        return await self.append_events(conversation_id, [event])

    async def pause(self, conversation_id: str) -> dict:
        return await self.append_events(conversation_id, [{"event": "pause"}])

    async def resume(self, conversation_id: str) -> dict:
        # A paused conversation never got its action_listen; without one, the next user turn
        # would not follow a listen, and no rule (the handed-back one included) would match.
        return await self.append_events(
            conversation_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
        )

    async def trigger_intent(self, conversation_id: str, intent: str) -> dict:
        return await self._call(
            "POST",
            f"/conversations/{quote(conversation_id, safe='+:')}/trigger_intent",
            {"output_channel": output_channel(conversation_id)},
            {"name": intent, "entities": {}},
        )

    async def _call(self, method: str, path: str, params: dict, body: Any = None) -> dict:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_seconds))
        try:
            async with self._session.request(
                method,
                self.base_url.rstrip("/") + path,
                params=params,
                json=body,
                headers=rasa_api_headers(self.jwt_secret),
            ) as reply:
                if reply.status >= 400:
                    detail = (await reply.text())[:300]
                    raise RasaUnavailable(f"the Rasa server answered {reply.status}: {detail}")
                return await reply.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(f"the Rasa server at {self.base_url} did not answer ({error})") from error
