"""The opening: what the assistant can do, that it is not an emergency service, what is kept."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.programs import organization

SAFETY_NOTE = (
    "I'm an automated assistant, not an emergency service: if you're in danger, call 911. "
    "For crisis support, call or text 988 any time."
)


def opening_text() -> str:
    org = organization()
    return (
        f"Hi, I'm Wayfinder, the {org['name']}'s automated assistant. I can help you find mental health, "
        "substance use and community services, and tell you about our advocacy programs.\n"
        "I'm not an emergency service: if you're in danger, call 911. For crisis support, call or text 988 any time.\n"
        "We keep this chat so an advocate can pick it up and to improve our services; you can skip any question. "
        "A human advocate is available: just ask.\n"
        "What can I help you find?"
    )


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        dispatcher.utter_message(text=opening_text())
        return [SlotSet("opening_given", True)]
