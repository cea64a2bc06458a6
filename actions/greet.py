"""The opening: what the assistant can do, that it is not an emergency service, what is kept."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, language_of, utter, utter_text
from bot.copy import button, say
from bot.programs import advocate_hours_text, advocates_on_shift, organization

# The part of the opening a caller who opened with a request still hears (in English, for
# tests; actions say it in the caller's language: "greet.safety_note").
SAFETY_NOTE = say("greet.safety_note")


# The needs a first-time caller most often names, as buttons under the opening question.
STARTER_NEEDS = ("counseling", "substance_use", "basic_needs")


def opening_question(language: str = "en") -> tuple[str, list[dict]]:
    """The opening question, saying truthfully whether a person can join now (signed-in advocates,
    bot.handoff.presence), with starter buttons: common needs, then a person or a call back."""
    if advocates_on_shift():
        text = say("greet.ask_person_online", language)
        other = button("button.person", language, "/human_handoff")
    else:
        text = say("greet.ask_no_one_online", language, hours=advocate_hours_text(language))
        other = button("button.call_back", language, "/request_callback")
    starters = [
        button(f"button.need.{code}", language, f'/request_help{{"need": "{code}"}}')
        for code in STARTER_NEEDS
    ]
    return text, [*starters, other]


class ActionGreet(CallerAction):
    def name(self) -> str:
        return "action_greet"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        utter(dispatcher, tracker, "greet.hello", org=organization()["name"])
        text, buttons = opening_question(language_of(tracker))
        utter_text(dispatcher, tracker, text, buttons)
        return [SlotSet("opening_given", True)]
