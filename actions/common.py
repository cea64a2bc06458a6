"""What every action shares: the directory, the stores, and sending a Reply."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.copy import reply_language, say
from bot.directory import Directory
from bot.handoff import HandoffQueue
from bot.messages import Language, Message, Payload
from bot.nlp.vocabulary import Vocabulary, default_vocabulary
from bot.programs import ProgramStore
from bot.referral import Reply


@lru_cache(maxsize=1)
def directory() -> Directory:
    return Directory()


@lru_cache(maxsize=1)
def programs() -> ProgramStore:
    return ProgramStore.open()


@lru_cache(maxsize=1)
def handoff_queue() -> HandoffQueue:
    return HandoffQueue.open()


def vocabulary() -> Vocabulary:
    return default_vocabulary()


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Text for every channel, buttons where there are choices, the payload for rich channels."""
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, json_message=reply.payload)


def language_of(tracker: Tracker) -> str:
    """The language to answer this caller in: the one their latest message is clearly written in,
    else the conversation's (the ``caller_language`` slot; English unset). A Spanish message fills
    the slot itself; a caller who goes back to English is answered in English here at once."""
    said = (tracker.latest_message or {}).get("caller_language")
    return reply_language(said or tracker.get_slot("caller_language"))


def utter(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    key: str,
    payload: Payload | None = None,
    buttons: list[dict] | None = None,
    **params: object,
) -> None:
    """A sentence of the copy catalog in the caller's language; the payload (by default, just
    the language) tells rich channels which language their own words should be in."""
    language = language_of(tracker)
    message = Message.of(
        payload or Language(language=language), buttons or (), text=say(key, language, **params)
    )
    dispatcher.utter_message(**message.to_rasa())


def utter_text(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    buttons: list[dict] | None = None,
) -> None:
    """Words already in the caller's language (drawn from the catalog by the caller), with the
    language payload ``utter`` sends."""
    message = Message.of(Language(language=language_of(tracker)), buttons or (), text=text)
    dispatcher.utter_message(**message.to_rasa())


def channel_of(tracker: Tracker) -> str | None:
    return (tracker.latest_message or {}).get("input_channel") or tracker.get_latest_input_channel()


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [str(value) for value in tracker.get_latest_entity_values(entity)]
