"""Crisis safety in the action server: the response, at the level recognition found.

Recognition happens in the NLU pipeline (the trained intent, then the rule
layer in ``components/crisis.py``, which reports the level); rules answer the
``crisis`` intent in every state with ``action_crisis_response``:

- imminent: the crisis resources and an urgent handoff;
- possible: the crisis lines and an urgent handoff; a rule then opens
  ``crisis_check_form``, which asks the direct question and takes the answer:
  "yes", anything but a clear "no", or silence (a reminder) is met as imminent by
  ``action_crisis_check_answered``. A caller who goes on with their request instead
  of answering is met as imminent too, and their request goes on beside it. Any
  other typed not-answer with no risk in it ("would I be able to bring her?") is
  met as imminent, and then asked the direct question once more, so that a caller
  who was never at risk can say so and go on.

If the action server cannot answer, the channel does (``bot/channels/safety.py``).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    REFERRAL_FORM,
    CallerAction,
    channel_of,
    directory,
    entity_values,
    handoff_queue,
    vocabulary,
)
from actions.forms import needs_in_another_answer, value_before
from actions.needs import handoff_summary
from bot.copy import reply_language, say
from bot.nlp.language import guess
from bot.programs import advocates_on_shift
from bot.referral import need_label, read_need
from bot.safety.finding import IMMINENT, POSSIBLE, Finding
from bot.safety.protocol import check_answered_no, crisis_reply

CHECK_FORM = "crisis_check_form"
ADVOCACY_FORM = "advocacy_form"
CHECK_SLOT = "crisis_check"
UNANSWERED_INTENT = "EXTERNAL_crisis_check_unanswered"
# Silence after the direct question is met as imminent after this long.
UNANSWERED_AFTER = timedelta(seconds=float(os.environ.get("WAYFINDER_CRISIS_CHECK_SECONDS", "180")))


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def reported_finding(tracker: Tracker) -> Finding | None:
    """What the NLU's rule layer found in the latest message (``components/crisis.py``), which
    this server answers from rather than recognise again; None for a button, which it skips."""
    report = (tracker.latest_message or {}).get("crisis_rule_layer")
    return Finding.from_json(report) if report else None


def level_of(tracker: Tracker, finding: Finding) -> str:
    """Imminent for a crisis during the direct question or a pressed "I'm in danger" button;
    otherwise what the NLU reported, and imminent when it reported nothing."""
    if tracker.active_loop_name == CHECK_FORM or latest_text(tracker).startswith("/"):
        return IMMINENT
    return finding.level or IMMINENT


def queue_urgent(tracker: Tracker, finding: Finding, level: str) -> None:
    summary = handoff_summary(tracker)
    summary["crisis_categories"] = list(finding.categories) or ["unspecified"]
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


def response_language(tracker: Tracker, finding: Finding) -> str:
    """The language to answer a crisis in: the message's, when it says clearly; for a button
    ("Estoy en peligro ahora" sends /crisis) or words in no clear language, the caller's."""
    text = latest_text(tracker)
    if finding.language == "es" or (guess(text) == "en" and not text.startswith("/")):
        return finding.language
    return reply_language(tracker.get_slot("caller_language") or tracker.get_slot("crisis_language"))


def need_words(tracker: Tracker, language: str) -> str | None:
    """The need being searched for, in ``language``, for "keep looking for ..."."""
    need = tracker.get_slot("need")
    return need_label(directory().taxonomy, need, language) if need else None


def imminent_response(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    finding: Finding,
    repeated: bool,
    offer_to_keep_looking: bool = True,
) -> list[EventType]:
    queue_urgent(tracker, finding, IMMINENT)
    reply = crisis_reply(
        finding,
        advocates_on_shift(),
        repeated=repeated,
        need_label=need_words(tracker, finding.language) if offer_to_keep_looking else None,
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


def times_asked(events: list[dict]) -> int:
    """How often the direct question was asked since the possible risk that raised it."""
    asked = 0
    for event in events:
        if (
            event.get("event") == "slot"
            and event.get("name") == "crisis_level"
            and event.get("value") == POSSIBLE
        ):
            asked = 0
        elif event.get("event") == "active_loop" and event.get("name") == CHECK_FORM:
            asked += 1
    return asked


def carries_no_risk(finding: Finding | None) -> bool:
    """A typed message in which neither the rule layer nor any risk word found a risk: the
    classifier alone read it so, or it answered something else."""
    return finding is not None and not finding.categories and not finding.risk_words


def ask_again(tracker: Tracker) -> list[EventType]:
    """After a not-answer met as imminent: the direct question once more, beside every line and
    the urgent handoff already given. A caller who was never at risk ("would I be able to bring
    her with me?") can then say so and go on with what they came for; only a clear "no" stands
    down, as the first time. Asked twice at most, as a counsellor would; silence is met as
    imminent again."""
    if times_asked(tracker.events) >= 2:
        return [FollowupAction("action_listen")]
    return ask_directly()


def ask_directly() -> list[EventType]:
    """crisis_check_form asks the direct question next; silence is met as imminent."""
    return [
        ReminderScheduled(
            UNANSWERED_INTENT,
            trigger_date_time=datetime.now(timezone.utc) + UNANSWERED_AFTER,
            name="crisis_check_unanswered",
            kill_on_user_message=True,
        ),
        FollowupAction(CHECK_FORM),
    ]


class ActionCrisisResponse(CallerAction):
    NAME = "action_crisis_response"

    def name(self) -> str:
        return self.NAME

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        reported = reported_finding(tracker)
        finding = reported or Finding()
        finding = replace(finding, language=response_language(tracker, finding))
        level = level_of(tracker, finding)
        language = SlotSet("crisis_language", finding.language)
        if level == IMMINENT:
            not_an_answer = tracker.active_loop_name == CHECK_FORM and carries_no_risk(reported)
            events = imminent_response(dispatcher, tracker, finding, repeated=answered(tracker))
            then = ask_again(tracker) if not_an_answer else [FollowupAction("action_listen")]
            return [language, *events, *then]
        queue_urgent(tracker, finding, POSSIBLE)
        reply = crisis_reply(finding, advocates_on_shift(), level=POSSIBLE)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
        # crisis_check_form asks next (named here as well as by a rule: a crisis that a form
        # handed over, said with an answer, has the form's turn between, and no rule matches);
        # silence is met as imminent.
        return [
            language,
            SlotSet("crisis_level", POSSIBLE),
            SlotSet(CHECK_SLOT, None),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *ask_directly(),
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


# What an ordinary request is made of: an answer to the direct question that carries one of
# these, and no risk, is the caller going on with what they came for ("i can only go after 5").
REQUEST_ENTITIES = frozenset(
    {"need", "place", "zip", "payment", "age", "when", "access", "population", "relation", "language"}
)


# ... or an answer read as one of these: a request, a question about services, a person asked
# for ("first thing is somebody to talk to about the nightmares"). Not "idk", a no-thanks,
# small talk, distress with no service named (vague_need), or an answer (inform) that names
# nothing: those are only not-answers.
REQUEST_INTENTS = frozenset(
    {
        "request_help",
        "ask_open_now",
        "ask_closest",
        "more_options",
        "relax_search",
        "exclude_option",
        "individual_advocacy",
        "human_handoff",
    }
)


def goes_on_with_a_request(tracker: Tracker, finding: Finding) -> bool:
    """Whether the caller, instead of answering, went on with their request, with not one
    risk word beside it (any risk word, or a crisis, and this is only an answer)."""
    if finding.is_crisis or finding.risk_words:
        return False
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") in REQUEST_INTENTS:
        return True
    return any(entity.get("entity") in REQUEST_ENTITIES for entity in message.get("entities") or [])


def message_that_raised_the_question(events: list[dict]) -> dict:
    """The caller's message read as a possible risk: the last one before the direct question."""
    raised: dict = {}
    last_user: dict = {}
    for event in events:
        if event.get("event") == "user":
            last_user = event
        elif event.get("event") == "active_loop" and event.get("name") == CHECK_FORM:
            raised = last_user
    return raised


def need_named_first(tracker: Tracker) -> list[EventType]:
    """The need the message that raised the question asked for first, read as the referral form
    reads a need: Rasa's slot mapping keeps the last need said, and "my landlord says I have to
    move out because of my bipolar... is that even legal?" asks for legal help first."""
    if entity_values(tracker, "need"):
        return []  # named again in this answer: the form reads it
    parse = message_that_raised_the_question(tracker.events).get("parse_data") or {}
    mentioned = [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == "need"]
    need, others = read_need(vocabulary(), mentioned)
    if need is None:
        return []
    return [SlotSet("need", need), SlotSet("pending_needs", others)]


def form_to_resume(tracker: Tracker) -> str | None:
    """The form the direct question interrupted, or the search for a need named before any search."""
    form = interrupted_form(tracker.events)
    if not form and tracker.get_slot("need") and not tracker.get_slot("search_status"):
        form = REFERRAL_FORM
    return form


def need_as_the_form_reads_it(tracker: Tracker) -> list[EventType]:
    """The need of a search the direct question interrupted, as if its form had read the message
    that raised the question. Rasa's slot mapping made the need said in it the need, where the
    form keeps the need being searched and a need said while answering waits its turn ("and
    after him, is there anything for me?" said when asked where to look for her grandson)."""
    events = list(tracker.events)
    raised = message_that_raised_the_question(events)
    if not raised:
        return []
    before = value_before(events, "need", events.index(raised))
    if not before or before == tracker.get_slot("need"):
        return []
    message = {**(raised.get("parse_data") or {}), "text": raised.get("text") or ""}
    mentioned, _replaced = needs_in_another_answer(message, before)
    need, others = read_need(vocabulary(), mentioned)
    if need is None:
        return []
    pending = [code for code in (tracker.get_slot("pending_needs") or []) if code not in (need, *others)]
    return [SlotSet("need", need), SlotSet("pending_needs", [*others, *pending])]


def resume(tracker: Tracker, form: str) -> list[EventType]:
    """Back to the form; a search not yet begun starts from the need asked for first, and one
    the question interrupted keeps the need it was searching for."""
    if form != REFERRAL_FORM:
        return [FollowupAction(form)]
    interrupted = interrupted_form(tracker.events) == REFERRAL_FORM
    need = need_as_the_form_reads_it(tracker) if interrupted else need_named_first(tracker)
    return [*need, FollowupAction(form)]


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
            form = form_to_resume(tracker)
            reply = check_answered_no(language, None if form else need_words(tracker, language))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.payload)
            stand_down = [SlotSet(CHECK_SLOT, None), SlotSet("crisis_level", None), ActiveLoop(None)]
            return stand_down + (resume(tracker, form) if form else [])
        # A typed answer is the latest message, which the NLU assessed; "yes" and silence are not.
        reported = reported_finding(tracker) if answer not in ("yes", None) else None
        finding = replace(reported or Finding(), language=language)
        form = form_to_resume(tracker) if reported else None
        if reported and tracker.get_intent_of_latest_message() == "individual_advocacy":
            # "I want somebody from your place to help us with this": the intake, not a search.
            form = ADVOCACY_FORM
        if reported and goes_on_with_a_request(tracker, finding):
            # Not an answer, so met as imminent: every line and the urgent handoff, as for a yes.
            # The caller's request goes on while an advocate comes, as a counsellor would keep
            # helping with what was asked; it takes nothing from the crisis response. A request
            # with nothing to go back to (no need named yet) starts the search, which asks for it.
            form = form or REFERRAL_FORM
            events = imminent_response(
                dispatcher, tracker, finding, repeated=True, offer_to_keep_looking=False
            )
            dispatcher.utter_message(text=say("crisis.meanwhile", language))
            return [*events, *resume(tracker, form)]
        events = imminent_response(dispatcher, tracker, finding, repeated=True)
        return [*events, *ask_again(tracker)] if carries_no_risk(reported) else events
