"""What every action shares: the directory, the stores, and sending a Reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import lru_cache

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
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


def language_kept(tracker: Tracker) -> list[EventType]:
    """The caller's switch back to English, kept for the turns to come.

    A Spanish message fills the ``caller_language`` slot itself (its entity); a clearly English
    one only says so in the message, so that this turn is answered in English. Without this
    event, the next "yes" or "2" would be answered in Spanish again."""
    said = (tracker.latest_message or {}).get("caller_language")
    if said and said != reply_language(tracker.get_slot("caller_language")):
        return [SlotSet("caller_language", said)]
    return []


# Both bases are abstract: rasa_sdk registers every concrete Action subclass it finds.
class CallerAction(Action, ABC):
    """An action that answers a caller: its ``answer``, and the caller's language kept."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return await self.answer(dispatcher, tracker, domain) + language_kept(tracker)

    @abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]: ...


REFERRAL_FORM = "referral_form"


CRISIS_INTENT = "crisis"
CRISIS_RESPONSE = "action_crisis_response"


class CallerForm(FormValidationAction, ABC):
    """A form's validation, which also keeps the caller's language before the form asks again."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if tracker.get_intent_of_latest_message() == CRISIS_INTENT:
            # A caller at risk, in a message that also answers the question ("im 34 and i want to
            # kill myself", "... tonight"): Rasa would take the answer and the form would ask on,
            # or search, before the crisis lines. The form stops here, says nothing, and the
            # crisis response answers next.
            return [ActiveLoop(None), FollowupAction(CRISIS_RESPONSE)]
        before = self.before_validation(dispatcher, tracker)
        return before + await super().run(dispatcher, tracker, domain) + language_kept(tracker)

    def before_validation(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What the form takes from a message before its slots are validated (nothing, by default)."""
        return []


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
