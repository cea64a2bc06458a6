"""Crisis safety in the action server: the response.

Recognition happens in the NLU pipeline (the trained intent, then the rule
layer in ``components/crisis.py``); rules answer the ``crisis`` intent in
every state with this action.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, directory, handoff_queue
from bot.handoff.summary import conversation_summary
from bot.nlp.language import guess
from bot.programs import advocates_on_shift
from bot.referral import need_label
from bot.safety.detector import Assessment, assess
from bot.safety.protocol import crisis_reply


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def assessment_of(tracker: Tracker) -> Assessment:
    """The rule layer's view; when only the classifier saw risk, an assessment without categories."""
    text = latest_text(tracker)
    found = assess(text)
    if not found.is_crisis and guess(text) == "es":
        found.language = "es"
    return found


class ActionCrisisResponse(Action):
    def name(self) -> str:
        return "action_crisis_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        assessment = assessment_of(tracker)
        repeated = any(
            event.get("event") == "action" and event.get("name") == self.name()
            for event in tracker.events[-12:]
        )
        online = advocates_on_shift()
        summary = conversation_summary(tracker.current_slot_values())
        summary["crisis_categories"] = assessment.categories or ["unspecified"]
        handoff_queue().request(
            tracker.sender_id,
            reason="crisis",
            priority="urgent",
            channel=channel_of(tracker),
            summary=summary,
        )
        need = tracker.get_slot("need")
        reply = crisis_reply(
            assessment,
            online,
            repeated=repeated,
            need_label=need_label(directory().taxonomy, need) if need else None,
        )
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
        # Any questions stop here; their answers are kept, and "keep looking" resumes them.
        return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
