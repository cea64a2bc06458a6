"""When the assistant does not understand: ask once, then offer a person.

``action_not_understood`` answers ``nlu_fallback``: the first time, it asks whether the caller
meant the likeliest intent, with Yes/No buttons (a typed "yes" works like the button, see
``actions/yes_no.py``); a second misunderstanding in a row gives up and offers a person.
It replaces Rasa's two-stage fallback loop, whose revert dropped typed answers and slots.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CallerAction, language_of, utter
from actions.language import answer_other_language
from bot.copy import button, say
from bot.nlp.language import guess

MIN_GUESS_CONFIDENCE = 0.25
# The intents a "did you mean...?" can ask about, each in the caller's terms (the catalog's
# fallback.meant.<intent>).
INTENT_QUESTIONS = {
    intent: f"fallback.meant.{intent}"
    for intent in (
        "request_help",
        "vague_need",
        "inform",
        "human_handoff",
        "individual_advocacy",
        "newsletter_signup",
        "become_advocate",
        "peer_specialist_practicum",
        "peer_training",
        "more_options",
        "choose_option",
        "ask_open_now",
        "ask_closest",
        "restart",
    )
}
# In English, for tests and for channels that have no caller's language.
NOT_UNDERSTOOD_IN_FORM = say("fallback.in_form")
GIVE_UP = say("fallback.give_up")


class ActionDefaultAskAffirmation(CallerAction):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        if guess((tracker.latest_message or {}).get("text")) == "other":
            answer_other_language(dispatcher, tracker)
            return []
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        # A guess below this is noise ("xzqv blorp"): better to ask again than to ask the wrong thing.
        candidates = [
            entry["name"]
            for entry in ranking
            if entry.get("name") in INTENT_QUESTIONS and entry.get("confidence", 0) >= MIN_GUESS_CONFIDENCE
        ]
        if not candidates:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        intent = candidates[0]
        language = language_of(tracker)
        utter(
            dispatcher,
            tracker,
            INTENT_QUESTIONS[intent],
            buttons=[
                button("button.yes", language, f"/{intent}"),
                button("button.no_something_else", language, "/deny"),
            ],
        )
        return []


def give_up(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    language = language_of(tracker)
    utter(
        dispatcher,
        tracker,
        "fallback.give_up",
        buttons=[
            button("button.person", language, "/human_handoff"),
            button("button.start_over", language, "/restart"),
        ],
    )


def previous_action(tracker: Tracker) -> str | None:
    """The last action the assistant ran before the caller's latest message."""
    seen_user = False
    for event in reversed(list(tracker.events)):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None
            seen_user = True
        elif kind == "action" and seen_user and event.get("name") != "action_listen":
            return event.get("name")
    return None


def previous_intent(tracker: Tracker) -> str | None:
    """The intent of the caller's message before the latest one."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    if len(users) < 2:
        return None
    return ((users[-2].get("parse_data") or {}).get("intent") or {}).get("name")


class ActionNotUnderstood(CallerAction):
    """Ask once what the caller meant; a second misunderstanding in a row offers a person.

    Inside a form the form's own question is the one to answer: "didn't get that", and the
    form asks it again (a rule per form says so too, for the policies)."""

    def name(self) -> str:
        return "action_not_understood"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        loop = (tracker.active_loop or {}).get("name")
        again = previous_action(tracker) in (self.name(), "action_default_ask_affirmation") or (
            loop is not None and previous_intent(tracker) == "nlu_fallback"
        )
        if again:
            give_up(dispatcher, tracker)
        elif loop:
            utter(dispatcher, tracker, "fallback.in_form")
        else:
            return await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
        return [FollowupAction(loop)] if loop else []


class ActionDefaultFallback(CallerAction):
    """What the policies cannot predict at all (Rasa's core fallback): give up kindly, offer a person."""

    def name(self) -> str:
        return "action_default_fallback"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        give_up(dispatcher, tracker)
        return [UserUtteranceReverted()]
