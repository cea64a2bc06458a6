"""Searching the directory and talking about what was found."""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import REFERRAL_FORM, CallerAction, directory, entity_values, language_of, send, utter
from actions.needs import caller_needs, needs_slots
from actions.questions import ask_need
from bot import referral
from bot.copy import button, say
from bot.directory import PlaceError
from bot.nlp.vocabulary import age_from_text, option_from_text
from bot.referral import CallerNeeds


def run_search(
    dispatcher: CollectingDispatcher, tracker: Tracker, needs: CallerNeeds, start: int = 0
) -> list[EventType]:
    """Search for ``needs``, say the results from ``start``, and remember what was shown."""
    found = directory()
    language = language_of(tracker)
    events: list[EventType] = []
    if not tracker.get_slot("opening_given"):
        # A caller who opened with a request never saw the opening: say the part that matters.
        utter(dispatcher, tracker, "greet.safety_note")
        events.append(SlotSet("opening_given", True))
    query = needs.query(limit=50)
    try:
        response = found.search(query)
    except PlaceError as error:
        utter(dispatcher, tracker, "search.where_instead", problem=error.said_in(language))
        return [*events, SlotSet("location", None), SlotSet("search_status", "place_unknown")]
    if not response.results and response.closed_matches:
        # The services exist; they are closed at the times asked. Not an unmet need.
        closed = response.closed_matches
        start = min(start, max(0, len(closed) - 1))
        send(dispatcher, referral.closed_reply(found.taxonomy, response, needs.when, language, start))
        return [
            *events,
            SlotSet("results", [result.service_id for result in closed]),
            SlotSet("results_shown", float(min(len(closed), start + referral.PAGE_SIZE))),
            SlotSet("search_status", "found"),
        ]
    if not response.results:
        found.record_unmet_need(query, response)
        send(dispatcher, referral.no_results_reply(found.taxonomy, response, language=language))
        return [
            *events,
            SlotSet("results", []),
            SlotSet("results_shown", 0.0),
            SlotSet("search_status", "none"),
        ]
    start = min(start, max(0, len(response.results) - 1))
    send(dispatcher, referral.results_reply(found.taxonomy, response, start, language=language))
    shown = min(len(response.results), start + referral.PAGE_SIZE)
    return [
        *events,
        SlotSet("results", [result.service_id for result in response.results]),
        SlotSet("results_shown", float(shown)),
        SlotSet("search_status", "found"),
    ]


def named_services(tracker: Tracker, among: list[str] | None = None) -> list[str]:
    """The services the caller's words name ("what do I bring to Cedar Park?"), among ``among``
    (the services offered) or anywhere in the directory."""
    text = (tracker.latest_message or {}).get("text") or ""
    names = directory().names()
    if among is not None:
        names = {service_id: names[service_id] for service_id in among if service_id in names}
    return referral.services_named(text, names)


def said_number(tracker: Tracker, last: int) -> int | None:
    """The option number the caller said ("2", "the second one"; "the last one" is ``last``)."""
    options = entity_values(tracker, "option")
    number = option_from_text(options[0] if options else (tracker.latest_message or {}).get("text"))
    return last if number == -1 else number


class ActionSearchServices(CallerAction):
    def name(self) -> str:
        return "action_search_services"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        return run_search(dispatcher, tracker, caller_needs(tracker))


class ActionMoreOptions(CallerAction):
    def name(self) -> str:
        return "action_more_options"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        results = tracker.get_slot("results") or []
        shown = int(tracker.get_slot("results_shown") or 0)
        if not tracker.get_slot("need"):
            ask_need(dispatcher, tracker)
            return []
        if shown >= len(results):
            language = language_of(tracker)
            utter(
                dispatcher,
                tracker,
                "search.all_shown",
                buttons=[
                    button("button.wider_area", language, '/relax_search{"constraint": "radius"}'),
                    button("button.advocate", language, "/human_handoff"),
                ],
            )
            return []
        return run_search(dispatcher, tracker, caller_needs(tracker), start=shown)


class ActionServiceDetails(CallerAction):
    def name(self) -> str:
        return "action_service_details"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        if entity_values(tracker, "zip") or entity_values(tracker, "place"):
            # "19134" after results is a new place, not option 19134: search there.
            return run_search(dispatcher, tracker, caller_needs(tracker))
        results = tracker.get_slot("results") or []
        shown = min(int(tracker.get_slot("results_shown") or 0) or len(results), len(results))
        if not results:
            utter(dispatcher, tracker, "search.none_yet")
            return []
        named = named_services(tracker, results)
        service_id = named[0] if named else None
        if service_id is None:
            number = said_number(tracker, shown)
            if number is None or not 1 <= number <= shown:
                return self._not_an_option(
                    dispatcher, tracker, (tracker.latest_message or {}).get("text"), shown
                )
            service_id = results[number - 1]
        found = directory()
        service = found.service(service_id)
        if service is None:
            utter(dispatcher, tracker, "search.removed")
            return []
        response = found.search(caller_needs(tracker).query(limit=50))
        everything = [*response.results, *response.closed_matches]
        result = next(
            (
                referral.card(r, number)
                for number, r in enumerate(everything, 1)
                if r.service_id == service_id
            ),
            None,
        )
        send(dispatcher, referral.details_reply(service, result, language=language_of(tracker)))
        return [SlotSet("last_details", service_id)]

    @staticmethod
    def _not_an_option(
        dispatcher: CollectingDispatcher, tracker: Tracker, text: str | None, shown: int
    ) -> list[EventType]:
        """A number that is not on the list is the fact it most likely is (an age), or a question."""
        age = age_from_text(text)
        needs = caller_needs(tracker)
        if age is not None and age > shown and not needs.answered("age"):
            with_age = caller_needs(tracker, age=str(age))
            return [SlotSet("age", str(age)), *run_search(dispatcher, tracker, with_age)]
        language = language_of(tracker)
        utter(
            dispatcher,
            tracker,
            "search.which_one.one" if shown == 1 else "search.which_one.many",
            buttons=[
                button("button.details_on", language, f'/choose_option{{"option": "{n}"}}', number=n)
                for n in range(1, shown + 1)
            ],
            last=shown,
        )
        return []


def leave_out(dispatcher: CollectingDispatcher, tracker: Tracker, turned_down: list[str]) -> CallerNeeds:
    """The caller's needs without the services they turned down, and a word that they're left out."""
    needs = caller_needs(tracker).excluding(turned_down)
    names = directory().names()
    language = language_of(tracker)
    said = say("search.and", language).join(names[s][0] for s in turned_down if s in names)
    utter(dispatcher, tracker, "search.excluded", services=said or say("search.that_service", language))
    return needs


class ActionExcludeOption(CallerAction):
    """ "Not that one, I've been there": leave a service out and search again."""

    def name(self) -> str:
        return "action_exclude_option"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        results = tracker.get_slot("results") or []
        # Named ones first (offered or not: "I've been to Lantern Path"), then "the second one",
        # then "that one": the service whose details were given last, or the first offered.
        turned_down = named_services(tracker, results) or named_services(tracker)
        number = said_number(tracker, len(results))
        if not turned_down and number and 1 <= number <= len(results):
            turned_down = [results[number - 1]]
        if not turned_down and (tracker.get_slot("last_details") or results):
            turned_down = [tracker.get_slot("last_details") or results[0]]
        if not turned_down:
            utter(dispatcher, tracker, "search.exclude_which")
            return []
        needs = leave_out(dispatcher, tracker, turned_down)
        if tracker.active_loop_name or not needs.need:
            # Said inside the questions: kept for the search the questions lead to.
            return [SlotSet("excluded", list(needs.excluded))]
        return [*needs_slots(needs), SlotSet("last_details", None), *run_search(dispatcher, tracker, needs)]


def when_noted(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Only Saturdays, is there anything then?" said while asked where: the times are kept
    (and said back), and the question is asked again, instead of a misunderstanding."""
    if not tracker.get_slot("requested_slot") or not entity_values(tracker, "when"):
        return []
    when = caller_needs(tracker).when
    utter(dispatcher, tracker, "when.noted", when=referral.when_words(when, language_of(tracker)))
    return [SlotSet("when", tracker.get_slot("when"))]


class ActionRefineResults(CallerAction):
    """ "Which one is open now?" and "which is closest?" over the services already found."""

    def name(self) -> str:
        return "action_refine_results"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        if not tracker.get_slot("need"):
            ask_need(dispatcher, tracker)
            return []
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        needs = caller_needs(tracker)
        if (tracker.active_loop or {}).get("name") == REFERRAL_FORM and not tracker.get_slot("search_status"):
            # Asked before any search, while the questions go on ("only saturdays, anything open
            # then?" when asked where): the times are kept and the form asks on; nothing is searched
            # without the answers.
            return when_noted(dispatcher, tracker)
        if intent == "ask_open_now":
            # "Anything open then?" after naming the day asks about that day, not this moment.
            said = entity_values(tracker, "when")
            now = needs if said else replace(needs, when=replace(needs.when, open_now=True))
            return [*needs_slots(now), *run_search(dispatcher, tracker, now)]
        found = directory()
        response = found.search(needs.query(limit=50))
        nearby = sorted(
            (r for r in response.results if r.distance_miles is not None), key=lambda r: r.distance_miles
        )
        if not nearby:
            utter(dispatcher, tracker, "search.all_remote")
            return []
        response.results = nearby
        response.total = len(nearby)
        language = language_of(tracker)
        intro = say("referrals.closest", language)
        send(dispatcher, referral.results_reply(found.taxonomy, response, 0, intro=intro, language=language))
        return [
            SlotSet("results", [r.service_id for r in nearby]),
            SlotSet("results_shown", float(min(len(nearby), referral.PAGE_SIZE))),
        ]


class ActionRelaxSearch(CallerAction):
    """Search again with the one constraint the caller chose to let go (a relaxation the search offered)."""

    def name(self) -> str:
        return "action_relax_search"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        constraints = entity_values(tracker, "constraint")
        wanted = constraints[0] if constraints else "radius"
        needs = caller_needs(tracker)
        try:
            response = directory().search(needs.query(limit=50))
        except PlaceError as error:
            utter(dispatcher, tracker, "search.where_instead", problem=error.said_in(language_of(tracker)))
            return [SlotSet("location", None)]
        relaxation = next((r for r in response.relaxations if r.constraint == wanted), None)
        if relaxation is not None:
            needs = needs.relaxed(relaxation.change)
        elif wanted == "radius":
            needs = needs.relaxed({"radius_miles": max(needs.radius * 3, 25.0)})
        return [*needs_slots(needs), *run_search(dispatcher, tracker, needs)]


class ActionOfferNextNeed(CallerAction):
    """After results, offer the next need the caller mentioned."""

    def name(self) -> str:
        return "action_offer_next_need"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_needs") or []
        if not pending:
            return []
        language = language_of(tracker)
        label = referral.need_label(directory().taxonomy, pending[0], language)
        utter(
            dispatcher,
            tracker,
            "search.next_need",
            buttons=[button("button.yes", language, "/affirm"), button("button.no", language, "/deny")],
            need=label,
        )
        return []


class ActionStartNextNeed(CallerAction):
    def name(self) -> str:
        return "action_start_next_need"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        pending = list(tracker.get_slot("pending_needs") or [])
        if not pending:
            ask_need(dispatcher, tracker)
            return []
        need = pending.pop(0)
        return [
            SlotSet("need", need),
            SlotSet("pending_needs", pending),
            SlotSet("when", None),
            SlotSet("radius", None),
            SlotSet("excluded", None),
        ]
