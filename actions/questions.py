"""Questions with choices. Their buttons carry entities (``/inform{"payment": ...}``),
which Rasa would try to fill as slot templates in a domain response, so they are asked here;
and the age question, which depends on whom the caller asks for."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, channel_of, directory, language_of, utter
from bot.copy import button
from bot.referral import need_label

# The needs and ways to pay offered as buttons, by code; each title is the catalog's
# button.need.<code> and button.payment.<code>.
NEED_CHOICES = ["counseling", "psychiatry", "substance_use", "basic_needs", "peer_support", "legal_advocacy"]
PAYMENT_CHOICES = ["medicaid", "medicare", "private_insurance", "sliding_fee"]


def skip_buttons(tracker: Tracker, answer_is_a_number: bool = False) -> list[dict]:
    """A Skip button for a question the caller may skip ("You can say skip"): it sends the skip
    intent, as the payment question's "Not sure / skip" does. By SMS the buttons are a numbered
    menu, and a reply of "1" to a question answered with a number (an age) is that answer, so
    there the caller types "skip" as the question says."""
    if answer_is_a_number and channel_of(tracker) == "twilio":
        return []
    return [button("button.skip", language_of(tracker), "/skip")]


def ask_need(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    language = language_of(tracker)
    utter(
        dispatcher,
        tracker,
        "ask.need",
        buttons=[
            button(f"button.need.{code}", language, f'/request_help{{"need": "{code}"}}')
            for code in NEED_CHOICES
        ]
        + [button("button.person", language, "/human_handoff")],
    )


def ask_which_need_first(dispatcher: CollectingDispatcher, tracker: Tracker, needs: list[str]) -> None:
    taxonomy = directory().taxonomy
    language = language_of(tracker)
    labels = [need_label(taxonomy, code, language) for code in needs]
    utter(
        dispatcher,
        tracker,
        "ask.which_need_first",
        buttons=[
            {"title": label[:1].upper() + label[1:], "payload": f'/request_help{{"need": "{code}"}}'}
            for label, code in zip(labels, needs, strict=True)
        ],
        needs=", ".join(labels[:-1]),
        last=labels[-1],
    )


class ActionAskNeed(CallerAction):
    def name(self) -> str:
        return "action_ask_need"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_needs") or []
        if len(pending) >= 2:
            ask_which_need_first(dispatcher, tracker, pending)
        else:
            ask_need(dispatcher, tracker)
        return []


class ActionAskPayment(CallerAction):
    def name(self) -> str:
        return "action_ask_payment"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        language = language_of(tracker)
        utter(
            dispatcher,
            tracker,
            "ask.payment",
            buttons=[
                button(f"button.payment.{code}", language, f'/inform{{"payment": "{code}"}}')
                for code in PAYMENT_CHOICES
            ]
            + [button("button.not_sure_skip", language, "/skip")],
        )
        return []


class ActionAskAge(CallerAction):
    """The age question, about the caller or about the person they ask for (``relation``)."""

    def name(self) -> str:
        return "action_ask_age"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        utter(
            dispatcher,
            tracker,
            "ask.age.self" if tracker.get_slot("relation") is None else "ask.age.other",
            buttons=skip_buttons(tracker, answer_is_a_number=True),
        )
        return []
