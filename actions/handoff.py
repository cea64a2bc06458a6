"""Asking for a human advocate."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, handoff_queue
from bot.handoff.summary import conversation_summary
from bot.programs import advocates_on_shift, organization


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        queue = handoff_queue()
        reason = "fallback" if tracker.latest_action_name == "action_default_fallback" else "caller_request"
        handoff_id = queue.request(
            tracker.sender_id,
            reason=reason,
            priority="normal",
            channel=channel_of(tracker),
            summary=conversation_summary(tracker.current_slot_values()),
        )
        org = organization()
        if advocates_on_shift():
            position = queue.position(handoff_id)
            dispatcher.utter_message(
                text=f"I've asked a human advocate to join this chat. You're number {position} in line; "
                "they'll see what we've talked about, so you won't have to repeat yourself. "
                "If you're in danger, call 911, or call or text 988.",
                json_message={"type": "handoff", "state": "waiting", "position": position},
            )
        else:
            dispatcher.utter_message(
                text="Our advocates are not online right now (weekdays 9 am to 5 pm). I've left a request, "
                f"and you can also call us at {org['phone']} during those hours. I'm still here to help you "
                "find services. If you're in danger, call 911, or call or text 988 any time.",
                json_message={
                    "type": "handoff",
                    "state": "waiting",
                    "position": None,
                    "advocates_online": False,
                },
            )
        return []
