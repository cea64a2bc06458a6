"""Handing a conversation to a human advocate, a call back when none is on shift, and coming back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, handoff_queue
from actions.form_questions import answer_question, consent
from actions.needs import handoff_summary
from bot.programs import advocate_hours_text, advocates_on_shift, organization, valid_phone


class ActionRequestHuman(Action):
    """On shift: queue and pause, so the advocate's words are the next the caller reads.

    Off shift: nobody would answer a paused conversation, so the assistant keeps
    helping, the request stays in the queue for the morning, and a call back is offered.
    """

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
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
        if online:
            position = queue.position(handoff_id)
            dispatcher.utter_message(
                text=f"I'm connecting you to a human advocate. You're number {position} in line; "
                "they'll see what we've talked about, so you won't have to repeat yourself. "
                "If you're in danger, call 911, or call or text 988.",
                json_message={"type": "handoff", "state": "waiting", "position": position},
            )
            return [ConversationPaused()]
        org = organization()
        dispatcher.utter_message(
            text="If you're in danger, call 911, or call or text 988 any time, day or night.\n"
            f"Our advocates are not online right now (they're here {advocate_hours_text()}). "
            f"You can call us at {org['phone']} during those hours, or an advocate can call you back. "
            "Would you like a call back? I'm still here to help you find services meanwhile.",
            buttons=[
                {"title": "Yes, call me back", "payload": "/request_callback"},
                {"title": "No thanks", "payload": "/deny"},
            ],
            json_message={"type": "handoff", "state": "waiting", "position": None, "advocates_online": False},
        )
        return []


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        phone = valid_phone(str(value) if value else None)
        if phone is None and not answer_question(dispatcher, tracker, "callback_form"):
            dispatcher.utter_message(
                text="That doesn't look like a US phone number (like 215-555-0123). Could you type it again?"
            )
        return {"callback_phone": phone}

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        return consent("callback_consent", value, dispatcher, tracker, "callback_form")


class ActionSaveCallback(Action):
    """Store a call back request, only with the caller's yes to being called at that number."""

    def name(self) -> str:
        return "action_save_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
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
        dispatcher.utter_message(
            text=f"Thanks. An advocate will call {phone} {advocate_hours_text()}. "
            "If you're in danger before then, call 911, or call or text 988.",
            json_message={"type": "callback", "state": "requested"},
        )
        return clear


class ActionHandedBack(Action):
    """The console handed the conversation back (or closed it): say so, and carry on."""

    def name(self) -> str:
        return "action_handed_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        dispatcher.utter_message(
            text="You're back with the assistant. I can help you find more services, "
            'or you can ask for a person again any time by saying "talk to a person".',
            json_message={"type": "handoff", "state": "returned_to_bot"},
        )
        return []
