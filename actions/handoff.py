"""Handing a conversation to a human advocate, a call back when none is on shift, and coming back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, CallerForm, channel_of, handoff_queue, language_of, utter
from actions.form_questions import answer_question, consent
from actions.needs import handoff_summary
from bot.copy import button
from bot.messages import Callback, Handoff
from bot.programs import advocate_hours_text, advocates_on_shift, organization, valid_phone


class ActionRequestHuman(CallerAction):
    """On shift: queue and pause, so the advocate's words are the next the caller reads.

    Off shift: nobody would answer a paused conversation, so the assistant keeps
    helping, the request stays in the queue for the morning, and a call back is offered.
    """

    def name(self) -> str:
        return "action_request_human"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        queue = handoff_queue()
        reason = "fallback" if tracker.latest_action_name == "action_default_fallback" else "caller_request"
        online = advocates_on_shift()
        handoff_id = queue.request(
            tracker.sender_id,
            reason=reason,
            priority="normal",
            channel=channel_of(tracker),
            summary=handoff_summary(tracker),
            paused=online,
        )
        language = language_of(tracker)
        if online:
            position = queue.position(handoff_id)
            waiting = Handoff(language=language, state="waiting", position=position)
            utter(dispatcher, tracker, "handoff.waiting", waiting, position=position)
            return [ConversationPaused()]
        utter(
            dispatcher,
            tracker,
            "handoff.off_shift",
            Handoff(language=language, state="waiting", advocates_online=False),
            buttons=[
                button("button.call_me_back", language, "/request_callback"),
                button("button.no_thanks", language, "/deny"),
            ],
            hours=advocate_hours_text(language),
            phone=organization()["phone"],
        )
        return []


class ValidateCallbackForm(CallerForm):
    def name(self) -> str:
        return "validate_callback_form"

    def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        phone = valid_phone(str(value) if value else None)
        if phone is None and not answer_question(dispatcher, tracker, "callback_form"):
            utter(dispatcher, tracker, "callback.not_a_phone")
        return {"callback_phone": phone}

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        return consent("callback_consent", value, dispatcher, tracker, "callback_form")


class ActionSaveCallback(CallerAction):
    """Store a call back request, only with the caller's yes to being called at that number."""

    def name(self) -> str:
        return "action_save_callback"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        phone = tracker.get_slot("callback_phone")
        clear = [SlotSet("callback_phone", None), SlotSet("callback_consent", None)]
        if tracker.get_slot("callback_consent") is not True or not phone:
            dispatcher.utter_message(response="utter_callback_not_saved")
            return clear
        handoff_queue().callback(
            tracker.sender_id,
            phone,
            consent=True,
            channel=channel_of(tracker),
            summary=handoff_summary(tracker),
        )
        language = language_of(tracker)
        utter(
            dispatcher,
            tracker,
            "callback.saved",
            Callback(language=language, state="requested"),
            phone=phone,
            hours=advocate_hours_text(language),
        )
        return clear


class ActionHandedBack(CallerAction):
    """The console handed the conversation back (or closed it): say so, and carry on."""

    def name(self) -> str:
        return "action_handed_back"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        utter(
            dispatcher,
            tracker,
            "handoff.returned",
            Handoff(language=language_of(tracker), state="returned_to_bot"),
        )
        return []
