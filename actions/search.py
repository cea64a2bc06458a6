"""Searching the directory and talking about what was found."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import directory, entity_values, send
from actions.greet import SAFETY_NOTE
from actions.questions import ask_need
from bot import referral
from bot.directory import PlaceError
from bot.nlp.vocabulary import option_from_text

SEARCH_SLOTS = (
    "need",
    "location",
    "payment",
    "age",
    "population",
    "language",
    "access",
    "radius",
    "open_now",
    "opening_given",
)


def _slots(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in SEARCH_SLOTS}


def run_search(dispatcher: CollectingDispatcher, slots: dict[str, Any], start: int = 0) -> list[EventType]:
    """Search with these slots, say the results from ``start``, and remember what was shown."""
    found = directory()
    events: list[EventType] = []
    if not slots.get("opening_given"):
        # A caller who opened with a request never saw the opening: say the part that matters.
        dispatcher.utter_message(text=SAFETY_NOTE)
        events.append(SlotSet("opening_given", True))
    query = referral.query_from_slots(slots, limit=50)
    try:
        response = found.search(query)
    except PlaceError as error:
        dispatcher.utter_message(text=f"{error} Where should I look instead?")
        return [*events, SlotSet("location", None), SlotSet("search_status", "place_unknown")]
    if not response.results:
        send(dispatcher, referral.no_results_reply(found.taxonomy, response))
        return [
            *events,
            SlotSet("results", []),
            SlotSet("results_shown", 0.0),
            SlotSet("search_status", "none"),
        ]
    start = min(start, max(0, len(response.results) - 1))
    send(dispatcher, referral.results_reply(found.taxonomy, response, start))
    shown = min(len(response.results), start + referral.PAGE_SIZE)
    return [
        *events,
        SlotSet("results", [result.service_id for result in response.results]),
        SlotSet("results_shown", float(shown)),
        SlotSet("search_status", "found"),
    ]


class ActionSearchServices(Action):
    def name(self) -> str:
        return "action_search_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return run_search(dispatcher, _slots(tracker))


class ActionMoreOptions(Action):
    def name(self) -> str:
        return "action_more_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        results = tracker.get_slot("results") or []
        shown = int(tracker.get_slot("results_shown") or 0)
        if not tracker.get_slot("need"):
            ask_need(dispatcher)
            return []
        if shown >= len(results):
            dispatcher.utter_message(
                text="Those are all the services I found that fit. I can search a wider area, or a human advocate can help you look.",
                buttons=[
                    {"title": "Search a wider area", "payload": '/relax_search{"constraint": "radius"}'},
                    {"title": "Talk to an advocate", "payload": "/human_handoff"},
                ],
            )
            return []
        return run_search(dispatcher, _slots(tracker), start=shown)


class ActionServiceDetails(Action):
    def name(self) -> str:
        return "action_service_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if entity_values(tracker, "zip") or entity_values(tracker, "place"):
            # "19134" after results is a new place, not option 19134: search there.
            return run_search(dispatcher, _slots(tracker))
        results = tracker.get_slot("results") or []
        shown = int(tracker.get_slot("results_shown") or 0)
        options = entity_values(tracker, "option")
        text = (tracker.latest_message or {}).get("text")
        number = option_from_text(options[0]) if options else option_from_text(text)
        if not results:
            dispatcher.utter_message(
                text="I haven't found any services for you yet. What kind of help are you looking for?"
            )
            return []
        if number == -1:
            number = shown or len(results)
        if number is None or not 1 <= number <= min(shown or len(results), len(results)):
            dispatcher.utter_message(
                text=f"Which one? Pick a number from 1 to {min(shown or len(results), len(results))}."
            )
            return []
        service_id = results[number - 1]
        found = directory()
        service = found.service(service_id)
        if service is None:
            dispatcher.utter_message(
                text="Sorry, that service has just been removed from the directory. Please pick another."
            )
            return []
        response = found.search(referral.query_from_slots(_slots(tracker), limit=50), record_unmet=False)
        result = next((referral.card(r) for r in response.results if r.service_id == service_id), None)
        send(dispatcher, referral.details_reply(service, result))
        return []


class ActionRefineResults(Action):
    """ "Which one is open now?" and "which is closest?" over the services already found."""

    def name(self) -> str:
        return "action_refine_results"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if not tracker.get_slot("need"):
            ask_need(dispatcher)
            return []
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        slots = _slots(tracker)
        if intent == "ask_open_now":
            return [SlotSet("open_now", True), *run_search(dispatcher, {**slots, "open_now": True})]
        found = directory()
        response = found.search(referral.query_from_slots(slots, limit=50), record_unmet=False)
        nearby = sorted(
            (r for r in response.results if r.distance_miles is not None), key=lambda r: r.distance_miles
        )
        if not nearby:
            dispatcher.utter_message(
                text="These services are reached by phone or online, so none is closer than another."
            )
            return []
        response.results = nearby
        response.total = len(nearby)
        send(dispatcher, referral.results_reply(found.taxonomy, response, 0, intro="Closest first:"))
        return [
            SlotSet("results", [r.service_id for r in nearby]),
            SlotSet("results_shown", float(min(len(nearby), referral.PAGE_SIZE))),
        ]


class ActionRelaxSearch(Action):
    def name(self) -> str:
        return "action_relax_search"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        constraints = entity_values(tracker, "constraint")
        slots = _slots(tracker)
        changes = referral.relaxed_slots(directory().taxonomy, slots, constraints[0] if constraints else None)
        events = [SlotSet(name, value) for name, value in changes.items()]
        return events + run_search(dispatcher, {**slots, **changes})


class ActionOfferNextNeed(Action):
    """After results, offer the next need the caller mentioned."""

    def name(self) -> str:
        return "action_offer_next_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        pending = tracker.get_slot("pending_needs") or []
        if not pending:
            return []
        label = referral.need_label(directory().taxonomy, pending[0])
        dispatcher.utter_message(
            text=f"You also mentioned {label}. Would you like me to look for that next?",
            buttons=[{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
        )
        return []


class ActionStartNextNeed(Action):
    def name(self) -> str:
        return "action_start_next_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        pending = list(tracker.get_slot("pending_needs") or [])
        if not pending:
            ask_need(dispatcher)
            return []
        need = pending.pop(0)
        return [
            SlotSet("need", need),
            SlotSet("pending_needs", pending),
            SlotSet("open_now", None),
            SlotSet("radius", None),
        ]
