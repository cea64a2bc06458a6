"""The organisation's own programs: information, newsletter sign-up, individual advocacy intake."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, channel_of, handoff_queue, language_of, programs, utter
from bot.copy import button, say
from bot.messages import AdvocacyIntake
from bot.referral import SKIP

PROGRAM_BY_INTENT = {
    "become_advocate": "become_advocate",
    "peer_specialist_practicum": "peer_specialist_practicum",
    "peer_training": "peer_training",
    "newsletter_signup": "newsletter",
    "individual_advocacy": "individual_advocacy",
}


class ActionProgramInfo(CallerAction):
    def name(self) -> str:
        return "action_program_info"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        program = PROGRAM_BY_INTENT.get(intent, "become_advocate")
        if program == "individual_advocacy":
            # The intake questions follow at once; buttons would only get in their way.
            utter(dispatcher, tracker, f"program.{program}")
            return []
        language = language_of(tracker)
        utter(
            dispatcher,
            tracker,
            f"program.{program}",
            buttons=[
                button("button.newsletter", language, "/newsletter_signup"),
                button("button.person_about_it", language, "/human_handoff"),
            ],
        )
        return []


class ActionNewsletterSignup(CallerAction):
    def name(self) -> str:
        return "action_newsletter_signup"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        email = tracker.get_slot("newsletter_email")
        consent = tracker.get_slot("newsletter_consent")
        if consent is True and email:
            new = programs().sign_up(email, channel_of(tracker))
            utter(dispatcher, tracker, "newsletter.signed_up" if new else "newsletter.already", email=email)
        else:
            dispatcher.utter_message(response="utter_newsletter_not_signed_up")
        return [SlotSet("newsletter_email", None), SlotSet("newsletter_consent", None)]


class ActionAdvocacyIntake(CallerAction):
    """Store a consented intake and queue it for an individual advocate."""

    def name(self) -> str:
        return "action_advocacy_intake"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        summary = tracker.get_slot("advocacy_summary")
        contact = tracker.get_slot("advocacy_contact")
        clear = [SlotSet(name, None) for name in ("advocacy_summary", "advocacy_contact", "advocacy_consent")]
        if tracker.get_slot("advocacy_consent") is not True or not summary:
            dispatcher.utter_message(response="utter_advocacy_not_sent")
            return clear
        channel = channel_of(tracker)
        intake_id = programs().record_intake(
            tracker.sender_id, summary, None if contact == SKIP else contact, channel
        )
        handoff_queue().request(
            tracker.sender_id,
            reason="individual_advocacy",
            priority="high",
            channel=channel,
            summary={"advocacy_intake_id": intake_id, "advocacy_summary": summary},
        )
        language = language_of(tracker)
        reach = say("intake.reach_here" if contact in (None, SKIP) else "intake.reach_contact", language)
        utter(
            dispatcher,
            tracker,
            "intake.sent",
            AdvocacyIntake(language=language, state="sent", reference=intake_id),
            reference=intake_id,
            reach=reach,
        )
        return clear
