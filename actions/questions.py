"""Questions with choices. Their buttons carry entities (``/inform{"payment": ...}``),
which Rasa would try to fill as slot templates in a domain response, so they are asked here."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import directory
from bot.referral import need_label

NEED_CHOICES = [
    ("Someone to talk to (counseling)", "counseling"),
    ("Medication / a psychiatrist", "psychiatry"),
    ("Drugs or alcohol", "substance_use"),
    ("A place to stay or food", "basic_needs"),
    ("Peer support", "peer_support"),
    ("Legal help or benefits", "legal_advocacy"),
]
PAYMENT_CHOICES = [
    ("Medicaid / Medical Assistance", "medicaid"),
    ("Medicare", "medicare"),
    ("Private insurance", "private_insurance"),
    ("No insurance", "sliding_fee"),
]


def ask_need(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        text="What kind of help are you looking for? You can pick one or tell me in your own words.",
        buttons=[
            {"title": title, "payload": f'/request_help{{"need": "{code}"}}'} for title, code in NEED_CHOICES
        ]
        + [{"title": "Talk to a person", "payload": "/human_handoff"}],
    )


def ask_which_need_first(dispatcher: CollectingDispatcher, needs: list[str]) -> None:
    taxonomy = directory().taxonomy
    labels = [need_label(taxonomy, code) for code in needs]
    dispatcher.utter_message(
        text=f"You mentioned {', '.join(labels[:-1])} and {labels[-1]}. Which should we start with? "
        "I'll keep the other for next.",
        buttons=[
            {"title": label[:1].upper() + label[1:], "payload": f'/request_help{{"need": "{code}"}}'}
            for label, code in zip(labels, needs, strict=True)
        ],
    )


class ActionAskNeed(Action):
    def name(self) -> str:
        return "action_ask_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        pending = tracker.get_slot("pending_needs") or []
        if len(pending) >= 2:
            ask_which_need_first(dispatcher, pending)
        else:
            ask_need(dispatcher)
        return []


class ActionAskPayment(Action):
    def name(self) -> str:
        return "action_ask_payment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        dispatcher.utter_message(
            text="How would you pay for care? This helps me find places that will take you.",
            buttons=[
                {"title": title, "payload": f'/inform{{"payment": "{code}"}}'}
                for title, code in PAYMENT_CHOICES
            ]
            + [{"title": "Not sure / skip", "payload": "/skip"}],
        )
        return []
