"""The handoff desk: every step an advocate (or upkeep) takes on a handoff, and what the caller is told.

Claim, release, take over, transfer, speak, send a service, hand back, resolve; the
caller leaving; upkeep's expiry. Each step changes the queue record first (its
compare-and-set transitions decide who wins a race) and then tells the caller through
``Conversations``, so a refused step never reaches the caller. The console's routes are
thin over this; tests run it on an in-memory fake of the conversations.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.copy import DEFAULT_LANGUAGE, say
from bot.handoff.conversations import ConversationEvent, Conversations, ConversationsUnavailable, Turn
from bot.handoff.queue import OPEN_STATES, SYSTEM, HandoffConflict, HandoffError, HandoffQueue
from bot.messages import AdvocateMessage, Card, Handoff, Referrals, plain_text

MAX_MESSAGE_CHARS = 2000


class DeskRefused(HandoffError):
    """The advocate's role does not allow this step (HTTP 403)."""


@dataclass(frozen=True)
class Advocate:
    """Who takes a step: their sign-in name (records, audit), the name callers see, and whether
    they may take a conversation from a colleague."""

    username: str
    display_name: str
    can_take_over: bool = False


async def blocking(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Database work (synchronous SQLAlchemy) off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))


def caller_language(record: dict) -> str:
    """The language the caller writes in (the handoff's summary keeps it): what they are told in."""
    return (record["summary"] or {}).get("speaks") or DEFAULT_LANGUAGE


class HandoffDesk:
    def __init__(
        self,
        queue: HandoffQueue,
        conversations: Conversations,
        display_name: Callable[[str], str] = lambda username: username,
    ) -> None:
        self.queue = queue
        self.conversations = conversations
        self.display_name = display_name

    # -- reading ----------------------------------------------------------------------

    async def record(self, handoff_id: int) -> dict:
        record = await blocking(self.queue.get, handoff_id)
        if record is None:
            raise LookupError("no such conversation in the queue")
        return record

    async def transcript(self, record: dict) -> list[Turn]:
        return await self.conversations.transcript(record["conversation_id"])

    # -- an advocate's steps ------------------------------------------------------------

    async def claim(self, handoff_id: int, advocate: Advocate) -> dict:
        record = await self.record(handoff_id)
        claimed = await self._named(self.queue.claim, handoff_id, advocate.username)
        if claimed["claimed_at"] == record["claimed_at"] and record["holder"] == advocate.username:
            return claimed  # already theirs: the caller was told when they first claimed it
        try:
            if not record["paused"]:
                # The assistant was still answering (crisis, advocacy intake); from now on only the advocate does.
                await self.conversations.pause(record["conversation_id"])
            await self._tell_joined(record, advocate)
        except ConversationsUnavailable:
            # Back in line: a claim the caller never heard of would leave them waiting for no one.
            await blocking(
                self.queue.release,
                handoff_id,
                advocate.username,
                "the assistant's server did not answer",
                expected_holder=advocate.username,
            )
            raise
        return claimed

    async def release(self, handoff_id: int, advocate: Advocate) -> dict:
        """Put a held conversation back in line; a supervisor may do it for a colleague."""
        record = await self.record(handoff_id)
        held_by_another = record["state"] == "with_advocate" and record["holder"] != advocate.username
        if held_by_another and not advocate.can_take_over:
            raise DeskRefused(
                f"{self.display_name(record['holder'])} holds this conversation; a supervisor can release it"
            )
        why = (
            "released by the advocate"
            if record["holder"] == advocate.username
            else f"taken back by {advocate.username}"
        )
        # Only if the holder the permission was checked against still holds it.
        released = await self._named(
            self.queue.release, handoff_id, advocate.username, why, expected_holder=record["holder"]
        )
        await self.tell_still_in_line(released)
        return released

    async def take_over(self, handoff_id: int, advocate: Advocate) -> dict:
        """A supervisor takes a held conversation from a colleague; the caller hears who is there now."""
        if not advocate.can_take_over:
            raise DeskRefused("only supervisors and admins take over a colleague's conversation")
        record = await self.record(handoff_id)
        taken = await self._named(self.queue.take_over, handoff_id, advocate.username)
        if record["holder"] != advocate.username:
            await self._tell_joined(record, advocate)
        return taken

    async def transfer(
        self,
        handoff_id: int,
        advocate: Advocate,
        note: str,
        to: str | None = None,
        language: str | None = None,
    ) -> dict:
        """Back in line for one colleague, or for anyone who speaks ``language``, with a note."""
        record = await self.record(handoff_id)
        moved = await self._named(
            self.queue.transfer, handoff_id, advocate.username, note, to=to, language=language
        )
        position = await blocking(self.queue.position, handoff_id)
        speaks = caller_language(record)
        await self._tell(
            record,
            say("handoff.transferred", speaks, advocate=advocate.display_name, position=position),
            Handoff(language=speaks, state="waiting", position=position),
            advocate,
        )
        return moved

    async def send_message(self, handoff_id: int, advocate: Advocate, text: str) -> dict:
        text = (text or "").strip()
        if not text:
            raise HandoffError("write a message first")
        if len(text) > MAX_MESSAGE_CHARS:
            raise HandoffError(f"a message holds at most {MAX_MESSAGE_CHARS} characters")
        # Recorded first: only the holder may speak, and a refused message never reaches the caller.
        updated = await self._named(self.queue.advocate_spoke, handoff_id, advocate.username)
        await self._tell(
            updated,
            text,
            AdvocateMessage(language=caller_language(updated), advocate=advocate.display_name),
            advocate,
        )
        return updated

    async def send_service(self, handoff_id: int, advocate: Advocate, service: Card) -> dict:
        updated = await self._named(self.queue.advocate_spoke, handoff_id, advocate.username)
        language = caller_language(updated)
        referral = Referrals(
            language=language,
            intro=say("handoff.sent_service", language, advocate=advocate.display_name),
            services=(service,),
        )
        await self._tell(updated, plain_text(referral), referral, advocate)
        return updated

    async def add_note(self, handoff_id: int, advocate: Advocate, text: str) -> dict:
        return await blocking(self.queue.add_note, handoff_id, advocate.username, text)

    async def hand_back(self, handoff_id: int, advocate: Advocate) -> dict:
        record = await self.record(handoff_id)
        returned = await self._named(self.queue.hand_back, handoff_id, advocate.username)
        await self.conversations.hand_back(record["conversation_id"])
        return returned

    async def resolve(self, handoff_id: int, advocate: Advocate, disposition: str) -> dict:
        record = await self.record(handoff_id)
        resolved = await self._named(self.queue.resolve, handoff_id, advocate.username, disposition)
        if record["paused"]:
            if record["state"] == "with_advocate":
                language = caller_language(record)
                await self._tell(
                    record,
                    say("handoff.closed", language, advocate=advocate.display_name),
                    Handoff(language=language, state="resolved", advocate=advocate.display_name),
                    advocate,
                )
            await self.conversations.hand_back(record["conversation_id"])
        return resolved

    # -- the caller's side and upkeep ---------------------------------------------------------

    async def caller_event(self, event: ConversationEvent) -> dict | None:
        """What a conversation event changes: the caller's activity, a crisis (to the top), the
        caller leaving. Returns the conversation's latest handoff record, or None when no
        advocate is involved."""
        if event.kind == "left":
            return await self.caller_left(event.conversation_id)
        if event.kind == "typing":
            return await blocking(self.queue.open_for, event.conversation_id)
        # One query for every message: a conversation's open request, if any, is its latest.
        record = await blocking(self.queue.latest_for, event.conversation_id)
        if record is None:
            return None
        if record["state"] in OPEN_STATES and event.turn is not None and event.turn.who == "caller":
            await blocking(self.queue.caller_spoke, event.conversation_id)
            if event.crisis:
                # The channel already gave the caller the crisis lines (bot/channels/safety.py) and the
                # action raised the request; raising it here too keeps the alert if that failed.
                await blocking(self.queue.request, event.conversation_id, reason="crisis", priority="urgent")
        return record

    async def caller_left(self, conversation_id: str) -> dict | None:
        """Quick exit in the widget or STOP by text: a wait ends as abandoned; an advocate holding it is told."""
        record = await blocking(self.queue.open_for, conversation_id)
        if record is None:
            return None
        if record["state"] == "waiting":
            try:
                record = await blocking(
                    self.queue.abandon,
                    record["id"],
                    SYSTEM,
                    "caller left (quick exit or STOP)",
                    expected_state="waiting",
                )
            except HandoffError:
                return record  # claimed meanwhile: the advocate sees the caller's leaving instead
            await self.conversations.resume(conversation_id)
        else:
            await blocking(
                self.queue.add_note,
                record["id"],
                SYSTEM,
                "The caller left the chat (quick exit, or STOP by text).",
            )
        return record

    async def expire(
        self,
        advocate_idle: timedelta,
        caller_gone: timedelta,
        disconnect_grace: timedelta,
        last_seen: dict[str, datetime],
    ) -> list[tuple[dict, str]]:
        """Release conversations whose advocate is idle or gone (the caller hears they are still in
        line); abandon waits the caller left (the assistant answers them again if they return)."""
        changes = await blocking(
            self.queue.expire,
            advocate_idle=advocate_idle,
            caller_gone=caller_gone,
            disconnect_grace=disconnect_grace,
            last_seen=last_seen,
        )
        for record, what in changes:
            if what == "released":
                await self.tell_still_in_line(record)
            elif what == "abandoned":
                await self.conversations.resume(record["conversation_id"])
        return changes

    async def tell_still_in_line(self, record: dict) -> None:
        position = await blocking(self.queue.position, record["id"])
        language = caller_language(record)
        await self._tell(
            record,
            say("handoff.stepped_away", language, position=position),
            Handoff(language=language, state="waiting", position=position),
            None,
        )

    # -- internals ------------------------------------------------------------------

    async def _named(self, step: Callable, *args: Any, **kwargs: Any) -> dict:
        """Run a queue step; a conflict names the holder as colleagues know them."""
        try:
            return await blocking(step, *args, **kwargs)
        except HandoffConflict as conflict:
            if conflict.holder:
                raise HandoffConflict(conflict.named(self.display_name(conflict.holder))) from conflict
            raise

    async def _tell_joined(self, record: dict, advocate: Advocate) -> None:
        language = caller_language(record)
        await self._tell(
            record,
            say("handoff.joined", language, advocate=advocate.display_name),
            Handoff(language=language, state="with_advocate", advocate=advocate.display_name),
            advocate,
        )

    async def _tell(self, record: dict, text: str, payload: Any, advocate: Advocate | None) -> None:
        await self.conversations.say(
            record["conversation_id"], text, payload, advocate.display_name if advocate else None
        )
