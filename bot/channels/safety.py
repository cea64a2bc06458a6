"""A crisis answer that depends on nothing that can fail, for every input channel.

Every Wayfinder channel (REST, socket.io, SMS) wraps Rasa's message handler
with ``keep_callers_safe``. The crisis response is normally the action server's
``action_crisis_response``, but a caller at risk must hear the 988/911 lines
even when the action server is down, restarting or slow, and when Rasa predicts
nothing because the conversation is paused for an advocate. So, for each
message:

1. The channel opens a turn (``bot.safety.turn``); the crisis rule layer in the
   NLU pipeline records there whether the message is a crisis, and at which level.
2. Every bot message passes through a ``CrisisWatch``, which notes whether a
   crisis response went out.
3. A crisis with no response within ``CRISIS_REPLY_SECONDS`` (the action server
   is slow), or none when Rasa is done (the action server failed, or the
   conversation is paused): the action is tried once more (a paused
   conversation's normal path), and if that gives nothing either, the Rasa
   server answers itself from ``bot.safety.protocol`` at the imminent level,
   records the answer in the tracker, and queues the urgent handoff, retrying
   until the database takes it.
4. Any other turn that ended with no reply at all, in a conversation not
   paused, gets a reply, is logged, and the reply is recorded in the tracker:
   when an action failed during the turn (the action server is down), a short
   apology that names 911 and 988; otherwise (the dialogue itself said nothing:
   a prediction of action_listen, an action that sends nothing) a short helpful
   reply, ``NOT_UNDERSTOOD``, so that no caller is ever left without an answer.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from sanic import Sanic
from sanic.exceptions import SanicException

from bot.channels.stores import refuse_in_memory_fallback
from bot.copy import button, catalog, reply_language, say
from bot.logs import forget_in_logs
from bot.nlp.language import guess
from bot.safety import turn as turns
from bot.safety.detector import IMMINENT, assess
from bot.safety.protocol import crisis_reply

logger = logging.getLogger(__name__)

CRISIS_ACTION = "action_crisis_response"
RASA_APP = "rasa_server"  # the name rasa.server.create_app gives its Sanic app
# How long a crisis may wait for the action server's answer before the channel gives its own.
CRISIS_REPLY_SECONDS = float(os.environ.get("WAYFINDER_CRISIS_REPLY_SECONDS", "2.5"))
# Pauses before each try to queue the urgent handoff; past these, once a minute until it works.
QUEUE_RETRY_SECONDS = (0, 1, 2, 5, 10, 30, 60)
# What the channel says itself, from the copy catalog (channel.*); the constants are the
# English, for tests. A turn that failed: sorry, and 911 and 988.
NO_REPLY = say("channel.no_reply")
# A turn in which the dialogue itself said nothing: help on, and a person.
NOT_UNDERSTOOD = say("channel.not_understood")
NOT_UNDERSTOOD_BUTTONS = [button("button.person", "en", "/human_handoff")]
# A message while waiting for an advocate: the caller is still in line, and safe options.
STILL_IN_LINE = catalog()["channel.still_in_line"]["en"]
# Where Rasa reports an action that failed (its events are lost, the turn goes on).
ACTION_FAILURE_LOGGERS = ("rasa.core.processor",)

MessageHandler = Callable[[UserMessage], Awaitable[None]]
# The errors Rasa logged while handling the current turn (a list per turn; see _ActionFailures).
_turn_failures: ContextVar[list[str] | None] = ContextVar("wayfinder_turn_failures", default=None)


class _ActionFailures(logging.Filter):
    """Notes, for the turn being handled, that Rasa logged an error (an action that failed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _turn_failures.get()
        if failures is not None and record.levelno >= logging.ERROR:
            failures.append(record.name)
        return True


_failure_filter = _ActionFailures()
for _name in ACTION_FAILURE_LOGGERS:
    logging.getLogger(_name).addFilter(_failure_filter)
# Handoff requests still being written (a reference keeps each task alive until it ends).
_pending: set[asyncio.Task] = set()


class CrisisWatch(OutputChannel):
    """The caller's own output channel, noting what was sent: any message, and a crisis response.

    Once the channel has answered a crisis itself, a late crisis response from the action server
    is not sent again."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent_any = False
        self.crisis_sent = asyncio.Event()
        self.answered_by_channel = False

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        is_crisis = (message.get("custom") or {}).get("crisis") is True
        if is_crisis and self.answered_by_channel:
            logger.info("a late crisis response was dropped: the channel had already answered")
            return
        await self.inner.send_response(recipient_id, message)
        self.sent_any = True
        if is_crisis:
            self.crisis_sent.set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def keep_callers_safe(on_new_message: MessageHandler) -> MessageHandler:
    async def handle(message: UserMessage) -> None:
        forget_in_logs(message.text)  # whatever a library logs about this turn, not the caller's words
        _harden_current_agent()
        watch = CrisisWatch(message.output_channel)
        message.output_channel = watch
        failures: list[str] = []
        failures_token = _turn_failures.set(failures)  # the task below shares this turn's list
        with turns.open_turn(message.text or "") as turn:
            task = asyncio.ensure_future(on_new_message(message))
            _turn_failures.reset(failures_token)
            await _until_answered(task, turn, watch)
            try:
                if turn.crisis and not watch.crisis_sent.is_set():
                    await answer_crisis(rasa_app().ctx.agent, message, turn, watch, task)
                elif task.done() and not task.exception() and not watch.sent_any:
                    await answer_silence(rasa_app().ctx.agent, message, watch, failed=bool(failures))
            except Exception:  # never lose the message itself over this check
                logger.exception("could not make sure a message was answered")
        if task.done():
            task.result()  # the channel's own error handling sees Rasa's failures, as before

    return handle


async def _until_answered(task: asyncio.Future, turn: turns.Turn, watch: CrisisWatch) -> None:
    """Wait for Rasa to finish; for a crisis, no longer than CRISIS_REPLY_SECONDS after the NLU saw it.

    The NLU may never see the message: the turn fails before it when the tracker store is
    unavailable, or waits behind a locked database. When the turn failed, or has neither
    ended nor been judged after CRISIS_REPLY_SECONDS, the detector judges the text itself."""
    await _first_of(task, turn.decided, timeout=CRISIS_REPLY_SECONDS)
    if not turn.decided.is_set() and not _succeeded(task):
        if _judged_by_detector(turn):
            return  # no crisis answer can come from a turn whose NLU has not run
        await _first_of(task, turn.decided)
    if task.done() or not turn.crisis:
        await asyncio.wait({task})
        return
    answered = asyncio.ensure_future(watch.crisis_sent.wait())
    try:
        await asyncio.wait(
            {task, answered}, timeout=CRISIS_REPLY_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        answered.cancel()
    if watch.crisis_sent.is_set() and not task.done():
        await asyncio.wait({task})


async def _first_of(task: asyncio.Future, decided: asyncio.Event, timeout: float | None = None) -> None:
    waiting = asyncio.ensure_future(decided.wait())
    try:
        await asyncio.wait({task, waiting}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()


def _succeeded(task: asyncio.Future) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def _judged_by_detector(turn: turns.Turn) -> bool:
    """Whether the detector alone finds a crisis in the turn's text (recorded in the turn)."""
    if turn.text.startswith("/"):
        return False  # a button's payload: its intent decides, as in the rule layer
    assessment = assess(turn.text)
    if assessment.is_crisis:
        turn.crisis, turn.level, turn.finding = True, assessment.level, assessment.finding()
    return assessment.is_crisis


def harden_agent(agent: Any) -> None:
    """No turn is answered from an empty in-memory tracker (see bot.channels.stores), and a turn
    stopped by Rasa's circuit breaker leaves the conversation able to go on. The server does it
    once the agent is loaded (for the HTTP API too), and each channel message again, so that an
    agent loaded later (a new model) is covered as well."""
    refuse_in_memory_fallback(agent)
    if agent.processor is not None:
        agent.processor.on_circuit_break = listen_again


def _harden_current_agent() -> None:
    try:
        harden_agent(rasa_app().ctx.agent)
    except Exception:  # never lose the message itself over this check
        logger.exception("could not harden the agent")


def listen_again(tracker: Any, _output_channel: Any, _nlg: Any) -> None:
    """Log the action_listen a turn stopped by the circuit breaker never reached.

    When the action server fails, each custom action Rasa predicts fails too, until its breaker
    stops the turn at ten actions. Rasa counts actions since the last action_listen before every
    prediction, so without one every later turn trips the breaker at once and the conversation
    stays broken after the action server is back. Rasa saves the tracker right after this hook."""
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


def rasa_app() -> Sanic:
    try:
        return Sanic.get_app(RASA_APP)
    except SanicException:
        return Sanic.get_app()


async def answer_crisis(agent, message: UserMessage, turn: turns.Turn, watch: CrisisWatch, task) -> None:
    """A crisis the assistant did not answer: the action once more, then the server's own answer."""
    if task.done():
        # Paused for an advocate (Rasa predicted nothing), or the action failed: one more try.
        try:
            async with agent.lock_store.lock(message.sender_id):
                await asyncio.wait_for(
                    agent.execute_action(message.sender_id, CRISIS_ACTION, watch, None, None),
                    timeout=CRISIS_REPLY_SECONDS,
                )
        except Exception:
            logger.exception("the crisis action could not run; the channel answers instead")
        if watch.crisis_sent.is_set():
            logger.info("a crisis in a paused or failed turn was answered with %s", CRISIS_ACTION)
            return
    await answer_from_server(agent, message, turn, watch)


async def answer_from_server(agent, message: UserMessage, turn: turns.Turn, watch: CrisisWatch) -> None:
    from bot.programs import advocates_on_shift

    finding = turn.finding or assess(message.text).finding()
    reply = crisis_reply(finding, advocates_on_shift(), level=IMMINENT)
    watch.answered_by_channel = True
    await watch.inner.send_response(
        message.sender_id, {"text": reply.text, "buttons": reply.buttons, "custom": reply.payload}
    )
    watch.sent_any = True
    logger.warning("a crisis was answered by the channel: the action server gave no answer in time")
    summary = {"crisis_categories": list(finding.categories) or ["unspecified"], "crisis_level": IMMINENT}
    _in_background(queue_urgent(message.sender_id, message.input_channel, summary))
    _in_background(record_reply(agent, message.sender_id, reply))


async def queue_urgent(sender_id: str, channel: str | None, summary: dict) -> None:
    """The urgent handoff, as soon as the database takes it: never dropped for a passing fault."""
    from bot.handoff import HandoffQueue

    def request() -> None:
        queue = HandoffQueue.open()
        try:
            queue.request(sender_id, reason="crisis", priority="urgent", channel=channel, summary=summary)
        finally:
            queue.close()

    pauses = itertools.chain(QUEUE_RETRY_SECONDS, itertools.repeat(60))
    for attempt, pause in enumerate(pauses, 1):
        await asyncio.sleep(pause)
        try:
            await asyncio.to_thread(request)
            return
        except Exception:
            logger.exception("queueing an urgent handoff failed (attempt %d); trying again", attempt)


async def record_reply(agent, sender_id: str, reply) -> None:
    """The channel's crisis answer in the transcript (and so on the broker, for the console)."""
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None:
                return
            tracker.update(BotUttered(reply.text, {"buttons": reply.buttons, "custom": reply.payload}))
            await agent.tracker_store.save(tracker)
    except Exception:
        logger.exception("could not record the channel's crisis answer in the tracker")


async def answer_silence(agent, message: UserMessage, watch: CrisisWatch, failed: bool = False) -> None:
    """No turn ends without a reply, unless an advocate holds the conversation (they answer);
    a caller still waiting in line is told so.

    ``failed``: an action failed during the turn, so the apology says something went wrong;
    otherwise the dialogue simply said nothing, and the caller is told how to go on."""
    tracker = await agent.tracker_store.retrieve(message.sender_id)
    paused = tracker is not None and tracker.is_paused()
    language = reply_language(_slot(tracker, "caller_language") or language_of_text(message.text))
    if paused:
        # Waiting in line, no advocate has the conversation yet: say so, every time.
        position = await asyncio.to_thread(_place_in_line, message.sender_id)
        if not position:
            return
        reply = {"text": say("channel.still_in_line", language, position=position)}
    elif failed:
        reply = {"text": say("channel.no_reply", language)}
    else:
        reply = {
            "text": say("channel.not_understood", language),
            "buttons": [button("button.person", language, "/human_handoff")],
        }
    # A copy: Rasa's output channels take the message apart as they send it.
    await watch.inner.send_response(message.sender_id, dict(reply))
    watch.sent_any = True
    if paused:
        _in_background(record_silence_reply(agent, message.sender_id, reply))
        return
    # Which path was silent, by its intent and actions only (never the caller's words).
    logger.warning(
        "a turn ended with no reply (%s); the channel answered: intent=%s actions=%s",
        "an action failed" if failed else "the dialogue said nothing",
        _latest_intent(tracker),
        _turn_actions(tracker),
    )
    if not failed:
        _in_background(record_silence_reply(agent, message.sender_id, reply))


def language_of_text(text: str | None) -> str:
    """The language to answer a message in when nothing else says (no conversation to read):
    Spanish when its words are Spanish, else English."""
    return "es" if guess(text) == "es" else "en"


def _slot(tracker: Any, name: str) -> Any:
    try:
        return tracker.get_slot(name) if tracker is not None else None
    except Exception:  # a tracker without the slot (an older domain)
        return None


def _place_in_line(conversation_id: str) -> int:
    """The conversation's place in the advocates' line; 0 when an advocate has it (or none is asked)."""
    from bot.handoff import HandoffQueue

    queue = HandoffQueue.open()
    try:
        request = queue.open_for(conversation_id)
        return queue.position(request["id"]) if request and request["state"] == "waiting" else 0
    finally:
        queue.close()


def _latest_intent(tracker: Any) -> str | None:
    try:
        return (tracker.latest_message.intent or {}).get("name")
    except AttributeError:
        return None


def _turn_actions(tracker: Any) -> list[str]:
    """The actions Rasa ran after the caller's latest message."""
    names: list[str] = []
    for event in reversed(list(getattr(tracker, "events", None) or [])):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            names.append(event.action_name)
    return list(reversed(names))


async def record_silence_reply(agent, sender_id: str, reply: dict[str, Any]) -> None:
    """The channel's reply to a silent turn in the transcript, as the assistant's own message."""
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None:
                return
            tracker.update(BotUttered(reply["text"], {"buttons": reply.get("buttons")}))
            await agent.tracker_store.save(tracker)
    except Exception:
        logger.exception("could not record the channel's reply to a silent turn in the tracker")


def _in_background(coroutine: Awaitable[None]) -> None:
    task = asyncio.ensure_future(coroutine)
    _pending.add(task)
    task.add_done_callback(_pending.discard)
