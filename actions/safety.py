"""Crisis safety in the action server: the response, at the level recognition found.

Recognition happens in the NLU pipeline (the trained intent, then the rule
layer in ``components/crisis.py``, which reports the level); rules answer the
``crisis`` intent in every state with ``action_crisis_response``:

- imminent: the crisis resources and an urgent handoff;
- possible: the crisis lines and an urgent handoff; a rule then opens
  ``crisis_check_form``, which asks the direct question and takes the answer:
  "yes", anything but a clear "no", or silence (a reminder) is met as imminent by
  ``action_crisis_check_answered``.

If the action server cannot answer, the channel does (``bot/channels/safety.py``).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, channel_of, directory, handoff_queue
from actions.needs import handoff_summary
from bot.copy import reply_language
from bot.nlp.language import guess
from bot.programs import advocates_on_shift
from bot.referral import need_label
from bot.safety.detector import IMMINENT, POSSIBLE, Assessment, assess, default_detector
from bot.safety.protocol import check_answered_no, crisis_reply

# Built when the action server starts (seconds), not on the first crisis, which must not wait.
default_detector()

CHECK_FORM = "crisis_check_form"
REFERRAL_FORM = "referral_form"
CHECK_SLOT = "crisis_check"
UNANSWERED_INTENT = "EXTERNAL_crisis_check_unanswered"
# Silence after the direct question is met as imminent after this long.
UNANSWERED_AFTER = timedelta(seconds=float(os.environ.get("WAYFINDER_CRISIS_CHECK_SECONDS", "180")))


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def level_of(tracker: Tracker, assessment: Assessment) -> str:
    """Imminent for a crisis during the direct question or a pressed "I'm in danger" button;
    otherwise what the NLU reported, and imminent when it reported nothing."""
    if tracker.active_loop_name == CHECK_FORM or latest_text(tracker).startswith("/"):
        return IMMINENT
    report = (tracker.latest_message or {}).get("crisis_rule_layer") or {}
    return report.get("level") or assessment.level or IMMINENT


def queue_urgent(tracker: Tracker, assessment: Assessment, level: str) -> None:
    summary = handoff_summary(tracker)
    summary["crisis_categories"] = assessment.categories or ["unspecified"]
    summary["crisis_level"] = level
    handoff_queue().request(
        tracker.sender_id,
        reason="crisis",
        priority="urgent",
        channel=channel_of(tracker),
        summary=summary,
    )


def answered(tracker: Tracker) -> bool:
    return any(
        event.get("event") == "action" and event.get("name") == ActionCrisisResponse.NAME
        for event in tracker.events[-12:]
    )


def response_language(tracker: Tracker, assessment: Assessment) -> str:
    """The language to answer a crisis in: the message's, when it says clearly; for a button
    ("Estoy en peligro ahora" sends /crisis) or words in no clear language, the caller's."""
    text = latest_text(tracker)
    if assessment.language == "es" or (guess(text) == "en" and not text.startswith("/")):
        return assessment.language
    return reply_language(tracker.get_slot("caller_language") or tracker.get_slot("crisis_language"))


def need_words(tracker: Tracker, language: str) -> str | None:
    """The need being searched for, in ``language``, for "keep looking for ..."."""
    need = tracker.get_slot("need")
    return need_label(directory().taxonomy, need, language) if need else None


def imminent_response(
    dispatcher: CollectingDispatcher, tracker: Tracker, assessment: Assessment, repeated: bool
) -> list[EventType]:
    queue_urgent(tracker, assessment, IMMINENT)
    reply = crisis_reply(
        assessment,
        advocates_on_shift(),
        repeated=repeated,
        need_label=need_words(tracker, assessment.language),
        level=IMMINENT,
    )
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
    # Any questions stop here; their answers are kept, and "keep looking" resumes them.
    return [
        SlotSet("crisis_level", IMMINENT),
        SlotSet(CHECK_SLOT, None),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]


class ActionCrisisResponse(CallerAction):
    NAME = "action_crisis_response"

    def name(self) -> str:
        return self.NAME

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        assessment = assess(latest_text(tracker))
        assessment.language = response_language(tracker, assessment)
        level = level_of(tracker, assessment)
        language = SlotSet("crisis_language", assessment.language)
        if level == IMMINENT:
            events = imminent_response(dispatcher, tracker, assessment, repeated=answered(tracker))
            return [language, *events, FollowupAction("action_listen")]
        queue_urgent(tracker, assessment, POSSIBLE)
        reply = crisis_reply(assessment, advocates_on_shift(), level=POSSIBLE)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
        # A rule opens crisis_check_form next, which asks; silence is met as imminent.
        return [
            language,
            SlotSet("crisis_level", POSSIBLE),
            SlotSet(CHECK_SLOT, None),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            ReminderScheduled(
                UNANSWERED_INTENT,
                trigger_date_time=datetime.now(timezone.utc) + UNANSWERED_AFTER,
                name="crisis_check_unanswered",
                kill_on_user_message=True,
            ),
        ]


def interrupted_form(events: list[dict]) -> str | None:
    """The form that was asking when the latest direct question of risk began, if any: active
    then, or stopped in that same turn by the crisis response."""
    active: str | None = None
    stopped_this_turn: str | None = None
    interrupted: str | None = None
    for event in events:
        if event.get("event") == "user":
            stopped_this_turn = None
        if event.get("event") != "active_loop":
            continue
        name = event.get("name")
        if name == CHECK_FORM and active != CHECK_FORM:
            interrupted = active or stopped_this_turn
        if name is None and active not in (None, CHECK_FORM):
            stopped_this_turn = active
        active = name
    return interrupted


class ActionCrisisCheckAnswered(CallerAction):
    """The answer to "are you thinking about killing yourself?": only a clear "no" stands down."""

    def name(self) -> str:
        return "action_crisis_check_answered"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        answer: Any = tracker.get_slot(CHECK_SLOT)
        language = reply_language(tracker.get_slot("crisis_language") or tracker.get_slot("caller_language"))
        if answer == "no":
            # Back to what the caller came for: the form the question interrupted asks on, or
            # the search for a need they named before any search was made.
            form = interrupted_form(tracker.events)
            if not form and tracker.get_slot("need") and not tracker.get_slot("search_status"):
                form = REFERRAL_FORM
            reply = check_answered_no(language, None if form else need_words(tracker, language))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
            stand_down = [SlotSet(CHECK_SLOT, None), SlotSet("crisis_level", None), ActiveLoop(None)]
            return stand_down + ([FollowupAction(form)] if form else [])
        assessment = assess("" if answer in ("yes", None) else str(answer))
        assessment.language = language
        return imminent_response(dispatcher, tracker, assessment, repeated=True)
