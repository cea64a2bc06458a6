"""The referral actions against the sample directory."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.forms import ValidateReferralForm
from actions.search import (
    ActionExcludeOption,
    ActionMoreOptions,
    ActionOfferNextNeed,
    ActionRefineResults,
    ActionRelaxSearch,
    ActionSearchServices,
    ActionServiceDetails,
    ActionStartNextNeed,
)
from bot import referral
from bot.nlp.understanding import NEED_CLASSIFIER
from tests.actions.conftest import DOMAIN, make_tracker, run

MEDICAID_COUNSELING = {
    "need": "counseling",
    "location": "19143",
    "payment": "medicaid",
    "age": "34",
    "opening_given": True,
}


def slot_events(events) -> dict:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def referral_payloads(dispatcher) -> list[dict]:
    return [m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "referrals"]


@pytest.mark.parametrize(
    ("need", "asked"),
    [
        ("counseling", ["need", "location", "payment", "age"]),
        ("food", ["need", "location"]),
        ("shelter", ["need", "location", "age"]),
        ("warmline", ["need", "age"]),
        ("detox", ["need", "location", "payment", "age"]),
        (None, ["need", "location", "payment", "age"]),
    ],
)
def test_the_form_asks_only_what_the_need_requires(need, asked, dispatcher):
    tracker = make_tracker({"need": need})
    slots = asyncio.run(
        ValidateReferralForm().required_slots(
            ["need", "location", "payment", "age"], dispatcher, tracker, DOMAIN
        )
    )
    assert slots == asked


def test_two_needs_without_an_order_are_asked_about_with_buttons(dispatcher):
    from actions.questions import ActionAskNeed
    from bot.nlp.understanding import ORDER_UNSURE

    tracker = make_tracker(text="i need food and help with rent", requested_slot="need")
    tracker.latest_message["entities"] = [
        {"entity": "need", "value": "food", ORDER_UNSURE: True},
        {"entity": "need", "value": "housing"},
    ]
    result = ValidateReferralForm().validate_need("food", dispatcher, tracker, DOMAIN)
    assert result["need"] is None
    assert result["pending_needs"] == ["food", "housing"]
    asked = make_tracker(slots={"pending_needs": ["food", "housing"]}, requested_slot="need")
    asyncio.run(ActionAskNeed().run(dispatcher, asked, DOMAIN))
    question = dispatcher.messages[-1]
    assert "Which should we start with?" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == [
        '/request_help{"need": "food"}',
        '/request_help{"need": "housing"}',
    ]


@pytest.mark.parametrize(
    ("typed", "need"),
    [
        ("2", "housing"),
        ("the first one", "food"),
        ("either is fine", "food"),
        ("the other one", "housing"),
        ("yes", "food"),
        ("idk whatever", "food"),
    ],
)
def test_a_typed_answer_to_which_need_first_is_the_button(typed, need, dispatcher):
    tracker = make_tracker(text=typed, slots={"pending_needs": ["food", "housing"]}, requested_slot="need")
    extracted = asyncio.run(ValidateReferralForm().extract_need(dispatcher, tracker, DOMAIN))
    assert extracted == {"need": need}
    chosen = make_tracker(
        text=typed, slots={"need": need, "pending_needs": ["food", "housing"]}, requested_slot="need"
    )
    result = ValidateReferralForm().validate_need(need, dispatcher, chosen, DOMAIN)
    assert result["need"] == need
    assert result["pending_needs"] == [code for code in ("food", "housing") if code != need]


def test_a_number_out_of_the_choices_is_not_a_need(dispatcher):
    tracker = make_tracker(text="34", slots={"pending_needs": ["food", "housing"]}, requested_slot="need")
    assert asyncio.run(ValidateReferralForm().extract_need(dispatcher, tracker, DOMAIN)) == {}


def test_several_needs_in_one_message_are_all_noted_and_taken_one_at_a_time(dispatcher):
    tracker = make_tracker(
        text="i need food and a place to stay tonight", entities=[("need", "food"), ("need", "place to stay")]
    )
    result = ValidateReferralForm().validate_need("place to stay", dispatcher, tracker, DOMAIN)
    assert result["need"] == "food"
    assert result["pending_needs"] == ["shelter"]
    assert "emergency shelter" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("method", "text", "expected"),
    [
        ("validate_location", "Kensington", "Kensington"),
        ("validate_location", "near temple", "Temple University"),
        ("validate_location", "19143", "19143"),
        ("validate_location", "skip", "skip"),
        ("validate_payment", "keystone first", "medicaid"),
        ("validate_payment", "no insurance", "sliding_fee"),
        ("validate_payment", "nothing rn", "sliding_fee"),
        ("validate_payment", "none at the moment", "sliding_fee"),
        ("validate_payment", "nada por ahora", "sliding_fee"),
        ("validate_payment", "skip", "skip"),
        ("validate_age", "she's 70", "70"),
        ("validate_age", "15", "15"),
        ("validate_age", "not sure", "skip"),
    ],
)
def test_answers_are_read_into_codes(method, text, expected, dispatcher):
    result = getattr(ValidateReferralForm(), method)(text, dispatcher, make_tracker(), DOMAIN)
    assert next(iter(result.values())) == expected
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("method", "text", "said"),
    [
        ("validate_location", "00000", "couldn't find that ZIP code"),
        ("validate_location", "Narnia", "don't know that place"),
        ("validate_payment", "my uncle pays", "Medicaid, Medicare, private insurance"),
        ("validate_payment", "nothing about that", "Medicaid, Medicare, private insurance"),
        ("validate_age", "old enough", "as a number"),
    ],
)
def test_answers_that_cannot_be_used_are_asked_again_kindly(method, text, said, dispatcher):
    result = getattr(ValidateReferralForm(), method)(text, dispatcher, make_tracker(), DOMAIN)
    assert next(iter(result.values())) is None
    assert said in dispatcher.messages[0]["text"]


def test_search_gives_at_least_three_cards_with_why_and_how_to_reach(dispatcher):
    events = run(ActionSearchServices(), dispatcher, make_tracker(MEDICAID_COUNSELING))
    [payload] = referral_payloads(dispatcher)
    assert len(payload["services"]) == 3
    for card in payload["services"]:
        assert card["phone"]
        assert "accepts Medicaid (Medical Assistance)" in card["reasons"]
        # A place to go has its address and is near; a service by phone or online has neither
        # (one ranks in when it is open and the clinics are not: it depends on the hour).
        if card["distance_miles"] is None:
            assert card["address"] is None and "by phone or online" in card["reasons"]
        else:
            assert card["address"] and card["distance_miles"] <= 10
    distances = [card["distance_miles"] for card in payload["services"] if card["distance_miles"] is not None]
    # Cedar Park, in the caller's own ZIP, is offered; whether it comes first depends on which
    # services are open at the hour the test runs (open now ranks up).
    assert min(distances) <= 1.0
    slots = slot_events(events)
    assert slots["search_status"] == "found"
    assert slots["results"][:3] == [card["id"] for card in payload["services"]]
    assert slots["results_shown"] == 3.0


def test_a_caller_who_skipped_the_greeting_still_hears_the_safety_note(dispatcher):
    run(ActionSearchServices(), dispatcher, make_tracker({**MEDICAID_COUNSELING, "opening_given": None}))
    assert "911" in dispatcher.messages[0]["text"] and "988" in dispatcher.messages[0]["text"]


def test_nothing_fits_says_what_to_relax_offers_a_person_and_records_the_need(dispatcher):
    slots = {
        "need": "eating_disorders",
        "location": "19020",
        "payment": "medicare",
        "age": "70",
        "language": "vi",
        "opening_given": True,
    }
    events = run(ActionSearchServices(), dispatcher, make_tracker(slots))
    reply = dispatcher.messages[0]
    assert "couldn't find" in reply["text"]
    assert any(button["payload"] == "/human_handoff" for button in reply["buttons"])
    assert slot_events(events)["search_status"] == "none"
    [unmet] = common.directory().unmet_needs()
    assert unmet["need"] == "eating_disorders" and unmet["postal_code"] == "19020"
    assert set(unmet) == {"id", "recorded_at", "need", "postal_code", "place", "constraints"}


def test_relaxing_the_radius_widens_the_search(dispatcher):
    slots = {
        "need": "eating_disorders",
        "location": "19020",
        "payment": "private_insurance",
        "age": "16",
        "opening_given": True,
    }
    tracker = make_tracker(slots, intent="relax_search", entities=[("constraint", "radius")])
    events = run(ActionRelaxSearch(), dispatcher, tracker)
    assert slot_events(events)["radius"] == 30.0
    assert referral_payloads(dispatcher)[0]["services"]


def test_more_options_continue_the_numbering(dispatcher):
    first = run(ActionSearchServices(), CollectingDispatcher(), make_tracker(MEDICAID_COUNSELING))
    state = {**MEDICAID_COUNSELING, **slot_events(first)}
    events = run(ActionMoreOptions(), dispatcher, make_tracker(state, intent="more_options"))
    [payload] = referral_payloads(dispatcher)
    assert [card["id"] for card in payload["services"]] == state["results"][3:6]
    assert "4. " in dispatcher.messages[0]["text"]
    assert slot_events(events)["results_shown"] == 6.0


def test_details_on_the_second_option_give_hours_how_to_get_in_and_what_to_bring(dispatcher):
    first = run(ActionSearchServices(), CollectingDispatcher(), make_tracker(MEDICAID_COUNSELING))
    state = {**MEDICAID_COUNSELING, **slot_events(first)}
    tracker = make_tracker(
        state, text="the second one", intent="choose_option", entities=[("option", "second one")]
    )
    run(ActionServiceDetails(), dispatcher, tracker)
    text = dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"]["service"]["id"] == state["results"][1]
    for part in ("Hours", "Monday:", "How to get in:", "What to bring:", "Languages:"):
        assert part in text


def test_details_for_a_number_not_shown_ask_which_one(dispatcher):
    first = run(ActionSearchServices(), CollectingDispatcher(), make_tracker(MEDICAID_COUNSELING))
    state = {**MEDICAID_COUNSELING, **slot_events(first)}
    run(ActionServiceDetails(), dispatcher, make_tracker(state, text="9", intent="choose_option"))
    assert dispatcher.messages[0]["text"] == (
        "Which one would you like details on? Say a number from 1 to 3, or the service's name."
    )


def test_closest_sorts_by_distance(dispatcher):
    tracker = make_tracker({**MEDICAID_COUNSELING, "payment": "skip"}, intent="ask_closest")
    run(ActionRefineResults(), dispatcher, tracker)
    distances = [card["distance_miles"] for card in referral_payloads(dispatcher)[0]["services"]]
    assert distances == sorted(distances)
    assert dispatcher.messages[0]["text"].startswith("Closest first:")


def test_open_now_keeps_only_open_services(dispatcher):
    tracker = make_tracker(
        {"need": "crisis_walk_in", "location": "19104", "opening_given": True}, intent="ask_open_now"
    )
    events = run(ActionRefineResults(), dispatcher, tracker)
    assert slot_events(events)["when"] == ["open now"]
    assert all(card["open_now"] for card in referral_payloads(dispatcher)[0]["services"])


def test_times_said_while_asked_where_are_kept_and_the_question_asked_again(dispatcher):
    """ "Only saturdays, is there anything open then?" when asked where: no search without a place."""
    tracker = make_tracker(
        {"need": "counseling", "when": ["SA"]},
        text="I can only go on saturdays, is there anything open then?",
        intent="ask_open_now",
        entities=[("when", "SA")],
        active_loop="referral_form",
        requested_slot="location",
    )
    events = run(ActionRefineResults(), dispatcher, tracker)
    assert slot_events(events) == {"when": ["SA"]}
    assert dispatcher.messages[0]["text"] == "Noted: I'll look for places open on Saturdays."
    assert not referral_payloads(dispatcher)


def test_anything_open_then_after_naming_a_day_asks_about_that_day(dispatcher):
    tracker = make_tracker(
        {**MEDICAID_COUNSELING, "when": ["SA"], "search_status": "found"},
        text="saturdays only, anything open then?",
        intent="ask_open_now",
        entities=[("when", "SA")],
    )
    events = run(ActionRefineResults(), dispatcher, tracker)
    assert slot_events(events)["when"] == ["SA"]


def test_the_form_keeps_times_said_instead_of_an_answer_in_spanish(dispatcher):
    tracker = make_tracker(
        {"need": "benefits", "when": ["SA"], "caller_language": "es"},
        text="entre semana no puedo, ¿hay algún lugar un sábado?",
        intent="request_help",
        entities=[("when", "SA")],
        active_loop="referral_form",
        requested_slot="location",
    )
    events = run(ValidateReferralForm(), dispatcher, tracker)
    assert slot_events(events)["when"] == ["SA"]
    assert dispatcher.messages[0]["text"] == "Anotado: busco lugares abiertos los sábados."


def test_the_next_need_is_offered_and_then_started(dispatcher):
    tracker = make_tracker({"pending_needs": ["shelter", "food"]})
    run(ActionOfferNextNeed(), dispatcher, tracker)
    assert "emergency shelter" in dispatcher.messages[0]["text"]
    events = run(
        ActionStartNextNeed(),
        dispatcher,
        make_tracker({"pending_needs": ["shelter", "food"]}, intent="affirm"),
    )
    assert slot_events(events)["need"] == "shelter"
    assert slot_events(events)["pending_needs"] == ["food"]


def test_the_need_and_payment_questions_offer_choices_that_carry_codes(dispatcher):
    from actions.questions import ActionAskNeed, ActionAskPayment

    run(ActionAskNeed(), dispatcher, make_tracker())
    run(ActionAskPayment(), dispatcher, make_tracker())
    need_buttons = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    payment_buttons = [b["payload"] for b in dispatcher.messages[1]["buttons"]]
    assert '/request_help{"need": "counseling"}' in need_buttons and "/human_handoff" in need_buttons
    assert '/inform{"payment": "medicaid"}' in payment_buttons and "/skip" in payment_buttons


def test_questions_that_say_you_can_skip_offer_a_skip_button(dispatcher):
    """The age question and its re-ask, and the advocacy intake's contact re-ask: the button sends
    the skip intent the forms already map to "skip"; by SMS the age question has none, as "1"
    there would be the menu's Skip rather than an age."""
    from actions.forms import ValidateAdvocacyForm
    from actions.questions import ActionAskAge

    def skip_buttons(message: dict) -> list[dict]:
        return [b for b in message.get("buttons") or [] if b["payload"] == "/skip"]

    run(ActionAskAge(), dispatcher, make_tracker())
    run(ActionAskAge(), dispatcher, make_tracker({"caller_language": "es", "relation": "mother"}))
    ValidateReferralForm().validate_age("old", dispatcher, make_tracker(requested_slot="age"), DOMAIN)
    ValidateAdvocacyForm().validate_advocacy_contact(
        "whenever", dispatcher, make_tracker(requested_slot="advocacy_contact"), DOMAIN
    )
    asked, asked_es, age_again, contact_again = dispatcher.messages
    assert "You can say skip" in asked["text"] and skip_buttons(asked) == [
        {"title": "Skip", "payload": "/skip"}
    ]
    assert skip_buttons(asked_es) == [{"title": "Paso", "payload": "/skip"}]
    assert "say skip" in age_again["text"] and skip_buttons(age_again)
    assert "say skip" in contact_again["text"] and skip_buttons(contact_again)

    by_sms = make_tracker()
    by_sms.latest_message["input_channel"] = "twilio"
    sms = CollectingDispatcher()
    run(ActionAskAge(), sms, by_sms)
    assert not sms.messages[0].get("buttons")


def searched(slots: dict) -> dict:
    """The slots after a first search with ``slots``."""
    return {**slots, **slot_events(run(ActionSearchServices(), CollectingDispatcher(), make_tracker(slots)))}


def test_a_number_off_the_list_is_an_age_when_no_age_was_given(dispatcher):
    state = searched({**MEDICAID_COUNSELING, "age": None})
    events = run(ActionServiceDetails(), dispatcher, make_tracker(state, text="31", intent="choose_option"))
    assert slot_events(events)["age"] == "31"
    assert referral_payloads(dispatcher), "searched again with the age"
    assert not any("Which one" in (m.get("text") or "") for m in dispatcher.messages)


def test_a_service_named_in_words_gets_its_details(dispatcher):
    state = searched(MEDICAID_COUNSELING)
    second = common.directory().service(state["results"][1])
    tracker = make_tracker(
        state, text=f"what do I need to bring to {second['name']}?", intent="choose_option"
    )
    events = run(ActionServiceDetails(), dispatcher, tracker)
    assert dispatcher.messages[0]["custom"]["service"]["id"] == second["id"]
    assert slot_events(events)["last_details"] == second["id"]


def test_a_service_turned_down_is_left_out_of_this_and_later_searches(dispatcher):
    state = searched(MEDICAID_COUNSELING)
    first = state["results"][0]
    events = run(
        ActionExcludeOption(),
        dispatcher,
        make_tracker(
            {**state, "last_details": first}, text="not that one, I've been there", intent="exclude_option"
        ),
    )
    slots = slot_events(events)
    assert slots["excluded"] == [first]
    assert first not in slots["results"]
    assert first not in [card["id"] for card in referral_payloads(dispatcher)[0]["services"]]
    later = searched({**state, **slots})
    assert first not in later["results"]


def test_nothing_open_at_the_hour_asked_is_not_an_unmet_need(dispatcher):
    # Food pantries are never open on a Sunday night in the sample; the services still exist.
    state = {"need": "food", "location": "19143", "when": ["SU", "after 22:00"], "opening_given": True}
    events = run(ActionSearchServices(), dispatcher, make_tracker(state))
    [payload] = referral_payloads(dispatcher)
    assert payload["services"] and payload["closed_at_times_asked"]
    assert "none is open on Sundays after 10 pm" in dispatcher.messages[0]["text"]
    assert slot_events(events)["search_status"] == "found"
    assert common.directory().unmet_needs() == []


def test_more_options_pages_on_through_services_closed_at_the_hour_asked(dispatcher):
    state = {"need": "food", "location": "19143", "when": ["SU", "after 22:00"], "opening_given": True}
    first = slot_events(run(ActionSearchServices(), CollectingDispatcher(), make_tracker(state)))
    assert len(first["results"]) > first["results_shown"] == 3

    events = run(ActionMoreOptions(), dispatcher, make_tracker({**state, **first}, intent="more_options"))

    [payload] = referral_payloads(dispatcher)
    assert payload["paging"]["first"] == 4
    assert [card["id"] for card in payload["services"]] == first["results"][3:6]
    assert slot_events(events)["results_shown"] == min(6, len(first["results"]))


def test_an_answer_to_the_payment_question_keeps_the_need_being_searched(dispatcher):
    # "Medical Assistance" reads as benefits to the whole-message need classifier; asked how
    # they'd pay, the caller is answering, not asking for benefits help.
    tracker = make_tracker(
        {"need": "benefits"},
        text="Medical Assistance",
        entities=[("payment", "medicaid")],
        active_loop="referral_form",
        requested_slot="payment",
    )
    tracker.latest_message["entities"].append(
        {"entity": "need", "value": "benefits", "extractor": "NeedClassifier"}
    )
    tracker.events.insert(0, {"event": "slot", "name": "need", "value": "counseling"})
    slots = ValidateReferralForm().validate_need("benefits", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert "benefits" not in slots["pending_needs"]
    assert not dispatcher.messages


def test_a_need_named_while_answering_another_question_waits_its_turn(dispatcher):
    tracker = make_tracker(
        {"need": "food"},
        text="19143, and I need food too",
        entities=[("zip", "19143"), ("need", "food")],
        active_loop="referral_form",
        requested_slot="location",
    )
    tracker.events.insert(0, {"event": "slot", "name": "need", "value": "counseling"})
    slots = ValidateReferralForm().validate_need("food", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert slots["pending_needs"] == ["food"]


def answering(
    text: str, entities: list[dict], current: str = "counseling", asked: str = "location"
) -> Tracker:
    """The referral form asked ``asked`` while searching for ``current``; the caller wrote ``text``."""
    named = next(e["value"] for e in entities if e["entity"] == "need")
    tracker = make_tracker({"need": named}, text=text, active_loop="referral_form", requested_slot=asked)
    tracker.latest_message["entities"] = entities
    tracker.events.insert(0, {"event": "slot", "name": "need", "value": current})
    return tracker


def test_a_caller_who_takes_back_the_need_gets_the_new_one_searched_instead(dispatcher):
    tracker = answering(
        "actually no wait. i have a therapist at my clinic. what i need is like a case worker, "
        "nobody helps me with the housing papers",
        [{"entity": "need", "value": "case_management"}, {"entity": "need", "value": "housing"}],
    )
    slots = ValidateReferralForm().validate_need("case_management", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "case_management"
    assert slots["pending_needs"] == ["housing"]  # therapy, taken back, is not searched later
    assert "instead" in dispatcher.messages[0]["text"]


def test_a_spanish_correction_replaces_the_need_too(dispatcher):
    tracker = answering(
        "pensándolo bien no, no necesito detox. mejor consejería",
        [{"entity": "need", "value": "detox"}, {"entity": "need", "value": "counseling"}],
        current="detox",
    )
    tracker.slots["caller_language"] = "es"
    slots = ValidateReferralForm().validate_need("detox", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert "detox" not in slots["pending_needs"]


def test_a_need_put_first_in_words_is_searched_first(dispatcher):
    tracker = answering(
        "food first, like this weekend. then i need to fix the snap",
        [
            {"entity": "need", "value": "food", "said_first": True},
            {"entity": "need", "value": "benefits"},
        ],
        current="benefits",
    )
    slots = ValidateReferralForm().validate_need("food", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "food"
    assert slots["pending_needs"] == ["benefits"]


def test_a_need_read_from_the_words_of_a_payment_is_the_payment(dispatcher):
    tracker = answering(
        "i have the state insurance, the access card",
        [
            {"entity": "payment", "value": "medicaid", "start": 11, "end": 26},
            {"entity": "need", "value": "benefits", "start": 32, "end": 43},
        ],
        asked="payment",
    )
    slots = ValidateReferralForm().validate_need("benefits", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert slots["pending_needs"] == []
    assert not dispatcher.messages


def test_of_two_places_in_one_answer_the_smaller_is_searched(dispatcher):
    tracker = make_tracker(
        {"location": "Delaware County"},
        text="He lives in Upper Darby and has Delaware County Medical Assistance",
        entities=[("place", "Upper Darby"), ("place", "Delaware County")],
        active_loop="referral_form",
        requested_slot="location",
    )
    slots = ValidateReferralForm().validate_location("Delaware County", dispatcher, tracker, DOMAIN)
    assert slots["location"] == "Upper Darby"


def test_the_payment_said_first_is_the_one_meant(dispatcher):
    tracker = make_tracker(
        {"payment": "medicaid"},
        text="She has Medicare, not Medical Assistance",
        entities=[("payment", "medicare"), ("payment", "medicaid")],
        active_loop="referral_form",
        requested_slot="payment",
    )
    assert (
        ValidateReferralForm().validate_payment("medicaid", dispatcher, tracker, DOMAIN)["payment"]
        == "medicare"
    )


def a_service() -> tuple[str, str]:
    """A service of the test directory: its id and its name."""
    service_id, (name, *_) = next(iter(common.directory().names().items()))
    return service_id, name


def test_services_named_before_any_search_are_kept_out_of_it(dispatcher):
    service_id, name = a_service()
    tracker = make_tracker(
        {"need": "counseling"},
        text=f"I've already been to {name} and I don't want to go back",
        intent="exclude_option",
        active_loop="referral_form",
        requested_slot="age",
    )
    events = run(ActionExcludeOption(), dispatcher, tracker)
    assert slot_events(events) == {"excluded": [service_id]}
    assert name in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Not Casa Aurora, I had a bad experience there.", ["s1"]),
        ("what do I bring to casa aurora salud?", ["s1"]),
        ("I've been to Lantern Path already", ["s2"]),
        ("I want a therapist who speaks Spanish", []),
    ],
)
def test_a_service_is_named_by_the_first_words_of_its_or_its_organizations_name(text, named):
    from bot.referral import answers

    names = {
        "s1": ["Terapia Individual y Familiar en Español", "Casa Aurora Salud Mental y Familia"],
        "s2": ["Opioid Treatment Program", "Lantern Path Recovery Services"],
    }
    assert answers.services_named(text, names) == named


def test_a_condition_named_while_answering_another_question_is_context_not_a_new_need(dispatcher):
    text = "mi hijo tiene 22 años y tiene esquizofrenia, solo puedo los sabados"
    start = text.index("esquizofrenia")
    tracker = answering(
        text,
        [{"entity": "need", "value": "mental_health", "start": start, "end": start + len("esquizofrenia")}],
        current="family_support",
    )
    slots = ValidateReferralForm().validate_need("mental_health", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "family_support"
    assert slots["pending_needs"] == []


def test_a_service_turned_down_while_answering_a_question_is_left_out(dispatcher):
    service_id, name = a_service()
    tracker = make_tracker(
        {"need": "counseling", "location": "19143"},
        text=f"i work til 5 so after that. and not {name}, i went there last year",
        active_loop="referral_form",
        requested_slot="payment",
    )
    events = run(ValidateReferralForm(), dispatcher, tracker)
    assert {"event": "slot", "name": "excluded", "value": [service_id], "timestamp": None} in events
    assert name in dispatcher.messages[0]["text"]


def test_a_question_about_a_service_turns_nothing_down(dispatcher):
    _service_id, name = a_service()
    tracker = make_tracker(
        {"need": "counseling"},
        text=f"what do I bring to {name}? I don't have ID",
        active_loop="referral_form",
        requested_slot="payment",
    )
    events = run(ValidateReferralForm(), dispatcher, tracker)
    assert not [e for e in events if e.get("name") == "excluded"]


def test_a_need_said_after_the_payment_in_its_own_words_still_waits_its_turn(dispatcher):
    text = "medicaid, and I also need food for the kids"
    tracker = answering(
        text,
        [
            {"entity": "payment", "value": "medicaid", "start": 0, "end": 8},
            {"entity": "need", "value": "food", "start": text.index("food"), "end": text.index("food") + 4},
        ],
        asked="payment",
    )
    slots = ValidateReferralForm().validate_need("food", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert slots["pending_needs"] == ["food"]


def test_a_refusal_names_what_follows_it_not_a_service_said_before_it():
    names = {"medicare-counseling": ["Medicare Counseling"], "riverward": ["Riverward Counseling"]}

    assert referral.services_turned_down("She's 66 and has Medicare, not Medical Assistance", names) == []
    assert referral.services_turned_down("she has medicare but not medicare counseling", names) == [
        "medicare-counseling"
    ]
    assert referral.services_turned_down("after 5 works. riverward, been there already", names) == [
        "riverward"
    ]


def test_a_correction_of_who_the_help_is_for_keeps_the_need(dispatcher):
    tracker = answering(
        "Sorry, I explained that wrong. It's not for me, it's for my mom. She's 66 and has Medicare, "
        "not Medical Assistance. She lives with me in South Philly.",
        [{"entity": "need", "value": "benefits", "extractor": NEED_CLASSIFIER}],
    )
    slots = ValidateReferralForm().validate_need("benefits", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"


def test_a_correction_that_says_what_is_needed_takes_the_classifiers_guess(dispatcher):
    tracker = answering(
        "ok actually scratch that, my aunt said i can stay with her. what i really need is someone to talk to",
        [{"entity": "need", "value": "counseling", "extractor": NEED_CLASSIFIER}],
        current="shelter",
    )
    slots = ValidateReferralForm().validate_need("counseling", dispatcher, tracker, DOMAIN)
    assert slots["need"] == "counseling"
    assert "shelter" not in (slots.get("pending_needs") or [])


def place_said(text: str, words: str, value: str) -> dict:
    start = text.index(words)
    return {"entity": "place", "value": value, "start": start, "end": start + len(words)}


def test_the_place_of_a_service_turned_down_is_not_where_the_caller_is(dispatcher):
    _service_id, name = a_service()
    text = f"i work til 5 so after that. and not {name} on frankford ave, i went there last year"
    tracker = make_tracker(
        {"need": "counseling"}, text=text, active_loop="referral_form", requested_slot="location"
    )
    tracker.latest_message["entities"] = [place_said(text, "frankford", "Frankford")]

    slots = ValidateReferralForm().validate_location("Frankford", dispatcher, tracker, DOMAIN)

    assert slots == {"location": None}  # asked again, not searched near the service turned down
    mine = f"I'm in Fishtown. not {name} on frankford ave though"
    tracker.latest_message.update(
        text=mine,
        entities=[place_said(mine, "Fishtown", "Fishtown"), place_said(mine, "frankford", "Frankford")],
    )
    assert ValidateReferralForm().validate_location("Frankford", dispatcher, tracker, DOMAIN)["location"] == (
        "Fishtown"
    )


def test_a_place_said_beside_a_refusal_of_no_service_is_the_callers(dispatcher):
    text = "not sure of the zip, i'm in frankford"
    tracker = make_tracker(
        {"need": "counseling"}, text=text, active_loop="referral_form", requested_slot="location"
    )
    tracker.latest_message["entities"] = [place_said(text, "frankford", "Frankford")]

    assert ValidateReferralForm().validate_location("Frankford", dispatcher, tracker, DOMAIN)["location"]
