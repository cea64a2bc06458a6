"""Crisis safety in the action server: the check on every message, and the response.

``action_validate_slot_mappings`` runs after every caller message, whatever the
conversation is doing (Rasa calls it from ``action_extract_slots``). When the
rule layer or the trained intent sees risk, it makes ``action_crisis_response``
the very next action, ahead of any form or policy.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from actions.common import channel_of, directory, handoff_queue
from bot.handoff.summary import conversation_summary
from bot.nlp.language import guess
from bot.programs import advocates_on_shift
from bot.referral import need_label
from bot.safety.detector import Assessment, assess
from bot.safety.protocol import crisis_reply

CRISIS_INTENT = "crisis"
# Slots a form fills from the whole message text: a crisis message is not an answer.
FREE_TEXT_SLOTS = ("location", "payment", "age", "newsletter_email", "advocacy_summary", "advocacy_contact")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def assessment_of(tracker: Tracker) -> Assessment:
    """The rule layer's view; when only the classifier saw risk, an assessment without categories."""
    text = latest_text(tracker)
    found = assess(text)
    if not found.is_crisis and guess(text) == "es":
        found.language = "es"
    return found


class ActionValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        text = latest_text(tracker)
        if text.startswith("/"):
            return events  # a button press: its intent decides
        if latest_intent(tracker) != CRISIS_INTENT and not assess(text).is_crisis:
            return events
        cleared = [SlotSet(name, None) for name in FREE_TEXT_SLOTS if tracker.get_slot(name) == text]
        return [*events, *cleared, FollowupAction("action_crisis_response")]


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
        events: list[EventType] = []
        if tracker.active_loop.get("name"):
            # The questions stop here; their answers are kept, and "keep looking" resumes them.
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return [*events, FollowupAction("action_listen")]
