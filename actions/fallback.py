"""When the assistant does not understand: ask once, then offer a person.

``action_not_understood`` answers ``nlu_fallback``: the first time, it asks whether the caller
meant the likeliest intent, with Yes/No buttons (a typed "yes" works like the button, see
``actions/yes_no.py``); a second misunderstanding in a row gives up and offers a person.
It replaces Rasa's two-stage fallback loop, whose revert dropped typed answers and slots.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.language import answer_other_language
from bot.nlp.language import guess

MIN_GUESS_CONFIDENCE = 0.25
# How to ask "did you mean...?" about each intent, in the caller's terms.
INTENT_QUESTIONS = {
    "request_help": "Are you looking for a service, like counseling, treatment, food or housing?",
    "vague_need": "Are you looking for some help but not sure what kind?",
    "inform": "Were you telling me where you are, how you'd pay, or an age?",
    "human_handoff": "Would you like to talk to a person?",
    "individual_advocacy": "Do you need an advocate's help with your rights or benefits?",
    "newsletter_signup": "Would you like to sign up for our newsletter?",
    "become_advocate": "Are you asking how to become an advocate?",
    "peer_specialist_practicum": "Are you asking about the Certified Peer Specialist practicum?",
    "peer_training": "Are you asking about peer training?",
    "more_options": "Would you like more options?",
    "choose_option": "Would you like details on one of the options?",
    "ask_open_now": "Do you want to know which one is open now?",
    "ask_closest": "Do you want to know which one is closest?",
    "restart": "Do you want to start over?",
}
NOT_UNDERSTOOD_IN_FORM = "Sorry, I didn't quite get that."
GIVE_UP = (
    "I'm sorry, I'm still not understanding. You could try saying it in a few words "
    '(like "therapist near 19143"), or I can connect you with a person.'
)


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
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
        dispatcher.utter_message(
            text=INTENT_QUESTIONS[intent],
            buttons=[
                {"title": "Yes", "payload": f"/{intent}"},
                {"title": "No, something else", "payload": "/deny"},
            ],
        )
        return []


def give_up(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        text=GIVE_UP,
        buttons=[
            {"title": "Talk to a person", "payload": "/human_handoff"},
            {"title": "Start over", "payload": "/restart"},
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


class ActionNotUnderstood(Action):
    """Ask once what the caller meant; a second misunderstanding in a row offers a person.

    Inside a form the form's own question is the one to answer: "didn't get that", and the
    form asks it again (a rule per form says so too, for the policies)."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        loop = (tracker.active_loop or {}).get("name")
        again = previous_action(tracker) in (self.name(), "action_default_ask_affirmation") or (
            loop is not None and previous_intent(tracker) == "nlu_fallback"
        )
        if again:
            give_up(dispatcher)
        elif loop:
            dispatcher.utter_message(text=NOT_UNDERSTOOD_IN_FORM)
        else:
            return await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
        return [FollowupAction(loop)] if loop else []


class ActionDefaultFallback(Action):
    """What the policies cannot predict at all (Rasa's core fallback): give up kindly, offer a person."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        give_up(dispatcher)
        return [UserUtteranceReverted()]
