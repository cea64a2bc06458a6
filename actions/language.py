"""Answering a caller who writes in Spanish, in Spanish."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.yes_no import ActionAnswerYesNo, answers_a_question
from bot.nlp.language import guess

OTHER_LANGUAGE = (
    "Sorry, I can only chat in English or Spanish. / Lo siento, solo puedo conversar en inglés o español. "
    'A human advocate can arrange an interpreter: say "person". If you are in danger, call 911.'
)
SPANISH_WELCOME = (
    "Hola, soy Wayfinder, un asistente automático. Puedo ayudarle a encontrar servicios de salud mental, "
    "tratamiento para el uso de drogas o alcohol, comida y vivienda, con personal que habla español. "
    "También puede hablar con una persona de nuestro equipo que habla español. "
    "Si está en peligro, llame al 911. Para apoyo en crisis, llame o envíe un texto al 988 y marque 2 para español "
    "(o envíe AYUDA por texto al 988)."
)


class ActionRespondSpanish(Action):
    def name(self) -> str:
        return "action_respond_spanish"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if answers_a_question(tracker):
            # "si" to a yes/no question is a yes, not a request to speak Spanish.
            return await ActionAnswerYesNo().run(dispatcher, tracker, domain)
        if guess((tracker.latest_message or {}).get("text")) == "other":
            # The classifier hears "not English" as Spanish; French, Portuguese... get the truth.
            dispatcher.utter_message(
                text=OTHER_LANGUAGE, buttons=[{"title": "Person / Persona", "payload": "/human_handoff"}]
            )
            return []
        dispatcher.utter_message(
            text=SPANISH_WELCOME,
            buttons=[
                {"title": "Hablar con una persona (español)", "payload": "/human_handoff"},
                {
                    "title": "Buscar servicios en español",
                    "payload": '/request_help{"population": "spanish_speaking"}',
                },
            ],
            json_message={"type": "language", "language": "es"},
        )
        return [SlotSet("language", "es")]
