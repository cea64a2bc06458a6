"""Crisis safety for conversations paused for a human advocate, for every input channel.

Rasa records a paused conversation's messages (parsed, so the crisis intent is
known) but predicts nothing, so a caller in crisis while waiting for a person
would hear nothing back. Each Wayfinder channel wraps Rasa's message handler
with ``keep_callers_safe``: after Rasa has handled a message, a paused
conversation whose latest message is a crisis gets ``action_crisis_response``
at once, through the same output channel (in the same HTTP reply for REST),
and that action raises the request to urgent, which alerts the console.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_ACTION = "action_crisis_response"
RASA_APP = "rasa_server"  # the name rasa.server.create_app gives its Sanic app

MessageHandler = Callable[[UserMessage], Awaitable[None]]


def keep_callers_safe(on_new_message: MessageHandler) -> MessageHandler:
    async def handle(message: UserMessage) -> None:
        await on_new_message(message)
        try:
            await answer_crisis_if_paused(rasa_app().ctx.agent, message)
        except Exception:  # never lose the message itself over this check
            logger.exception("could not check a paused conversation for crisis")

    return handle


def rasa_app() -> Sanic:
    try:
        return Sanic.get_app(RASA_APP)
    except SanicException:
        return Sanic.get_app()


async def answer_crisis_if_paused(agent, message: UserMessage) -> bool:
    """Run the crisis response when the conversation is paused and its latest message is a crisis."""
    sender_id = message.sender_id
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None or not tracker.is_paused():
            return False
        latest = tracker.latest_message
        if latest is None or latest.intent.get("name") != CRISIS_INTENT:
            return False
        await agent.execute_action(sender_id, CRISIS_ACTION, message.output_channel, None, None)
    logger.info("crisis message in a paused conversation answered with %s", CRISIS_ACTION)
    return True
