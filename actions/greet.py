"""The opening: what the assistant can do, that it is not an emergency service, what is kept."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, utter
from bot.copy import say
from bot.programs import organization

# The part of the opening a caller who opened with a request still hears (in English, for
# tests; actions say it in the caller's language: "greet.safety_note").
SAFETY_NOTE = say("greet.safety_note")


def opening_text(language: str = "en") -> str:
    return say("greet.opening", language, org=organization()["name"])


class ActionGreet(CallerAction):
    def name(self) -> str:
        return "action_greet"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        utter(dispatcher, tracker, "greet.opening", org=organization()["name"])
        return [SlotSet("opening_given", True)]
