"""Crisis interrupts whatever the conversation is doing, and the conversation goes on."""

from __future__ import annotations

from tests.assistant import customs, rest_conversation_id, texts


def crisis_payload(messages: list[dict]) -> dict | None:
    found = [custom for custom in customs(messages) if custom.get("crisis") is True]
    return found[0] if found else None


def queued(assistant, sender: str) -> tuple:
    [row] = assistant.query(
        "SELECT priority, reason FROM wf_handoff WHERE conversation_id = :c", c=rest_conversation_id(sender)
    )
    return row


def test_crisis_at_the_first_message_gets_resources_and_an_urgent_place_in_line(assistant, sender):
    messages = assistant.say(sender, "i dont want to be here anymore")
    payload = crisis_payload(messages)
    assert payload is not None
    assert "988" in texts(messages) and "911" in texts(messages)
    assert tuple(queued(assistant, sender)) == ("urgent", "crisis")


def test_crisis_in_the_middle_of_the_referral_questions_then_resume(assistant, sender):
    first = texts(assistant.say(sender, "i need a therapist near 19143"))
    assert "pay" in first
    messages = assistant.say(sender, "honestly i keep thinking about killing myself")
    assert crisis_payload(messages) is not None
    buttons = [b["payload"] for m in messages for b in m.get("buttons", [])]
    assert "/request_help" in buttons
    tracker = assistant.tracker(sender)
    assert tracker["active_loop"] in ({}, None) or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["location"] == "19143"  # answers already given are kept
    safe = texts(assistant.say(sender, "/affirm"))
    assert "glad you're safe" in safe
    resumed = texts(assistant.say(sender, "/request_help"))
    assert "How would you pay" in resumed


def test_a_crisis_said_with_an_answer_gets_the_lines_first_and_stops_the_questions(assistant, sender):
    """ "im 34 and i want to kill myself" answers the age question too: no search, no next
    question and no "noted" comes before the crisis lines, in this turn or after it."""
    assert "How old" in texts(assistant.say(sender, "I need a therapist who takes Medicaid near 19143"))
    for said in ("im 34 and i want to kill myself", "i want to kill myself tonight"):
        messages = assistant.say(sender, said)
        assert crisis_payload(messages) is not None
        assert "Suicide & Crisis Lifeline" in (messages[0].get("text") or ""), messages
        assert "referrals" not in [(m.get("custom") or {}).get("type") for m in messages]
        assert "How old" not in texts(messages) and "Noted" not in texts(messages)
        tracker = assistant.tracker(sender)
        assert tracker["active_loop"] in ({}, None) or tracker["active_loop"].get("name") is None


def test_a_possible_risk_said_with_an_answer_is_asked_about_directly_and_the_answer_kept(assistant, sender):
    assert "How old" in texts(assistant.say(sender, "I need a therapist who takes Medicaid near 19143"))
    messages = assistant.say(sender, "im 34 and honestly everyone would be better off without me")
    assert crisis_payload(messages) is not None
    assert "are you thinking about killing yourself?" in texts(messages)
    assert "not understanding" not in texts(messages)
    after = assistant.say(sender, "no")
    assert "referrals" in [(m.get("custom") or {}).get("type") for m in after]  # the age was kept


def test_a_crisis_answer_is_not_taken_as_an_answer_to_the_question(assistant, sender):
    assistant.say(sender, "i need a food pantry")
    messages = assistant.say(sender, "i took a whole bottle of pills")
    payload = crisis_payload(messages)
    assert payload is not None and "overdose" in payload["categories"]
    assert "naloxone" in texts(messages)
    assert assistant.tracker(sender)["slots"]["location"] is None


def test_crisis_during_the_newsletter_sign_up(assistant, sender):
    assistant.say(sender, "sign me up for your newsletter")
    messages = assistant.say(sender, "my husband is hitting me and i'm scared")
    assert crisis_payload(messages) is not None
    assert "1-800-799-7233" in texts(messages)


def test_crisis_during_advocacy_intake_in_spanish(assistant, sender):
    assistant.say(sender, "i need an advocate, my benefits were denied")
    messages = assistant.say(sender, "ya no quiero vivir")
    payload = crisis_payload(messages)
    assert payload is not None and payload["language"] == "es"
    assert "AYUDA" in texts(messages)


def test_a_second_crisis_message_is_answered_again(assistant, sender):
    assistant.say(sender, "i want to die")
    messages = assistant.say(sender, "/crisis")
    assert crisis_payload(messages) is not None
    assert "staying right here with you" in texts(messages)


def test_hard_negatives_pass_through_to_the_normal_conversation(assistant, sender):
    for text in (
        "this wait is killing me",
        "suicide prevention training for my staff",
        "where can i get narcan",
    ):
        assert crisis_payload(assistant.say(sender, text)) is None, text


def test_crisis_while_waiting_for_an_advocate_moves_the_request_to_urgent(assistant, sender):
    assistant.say(sender, "can i talk to a real person")
    assert tuple(queued(assistant, sender)) == ("normal", "caller_request")
    messages = assistant.say(sender, "i took too many of my pills")
    assert crisis_payload(messages) is not None
    assert tuple(queued(assistant, sender)) == ("urgent", "crisis")


def test_a_message_in_a_language_we_do_not_speak_gets_a_kind_answer(assistant, sender):
    reply = texts(assistant.say(sender, "Bonjour, j'ai besoin d'aide pour trouver un médecin"))
    assert "English or Spanish" in reply


# --- the tiered protocol: a possible risk is asked about directly -----------------------------


def test_finality_gets_the_lines_and_a_direct_question_and_an_urgent_place_in_line(assistant, sender):
    messages = assistant.say(sender, "i just want the pain to stop for good")
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "possible"
    said = texts(messages)
    assert "988" in said and "911" in said
    assert "are you thinking about killing yourself?" in said
    assert [b["payload"] for m in messages for b in m.get("buttons", [])] == ["/affirm", "/deny"]
    assert tuple(queued(assistant, sender)) == ("urgent", "crisis")


def test_a_typed_yes_to_the_direct_question_is_met_as_imminent(assistant, sender):
    assistant.say(sender, "im so tired of being a burden, they wont have to deal with me much longer")
    messages = assistant.say(sender, "yes")
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "imminent"
    assert "staying right here with you" in texts(messages)
    assert assistant.tracker(sender)["slots"]["crisis_level"] == "imminent"


def test_no_answer_to_the_direct_question_is_met_as_imminent(assistant, sender):
    assistant.say(sender, "i dont see a way out of this anymore")
    messages = assistant.say(sender, "idk why does it matter")
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "imminent"


def test_a_clear_no_stands_down_and_the_search_goes_on(assistant, sender):
    assistant.say(sender, "i need a therapist near 19143")
    first = assistant.say(sender, "everyone would be better off without me")
    assert crisis_payload(first)["level"] == "possible"
    messages = assistant.say(sender, "no")
    assert crisis_payload(messages) is None
    said = texts(messages)
    assert "Thank you for answering me" in said and "988" in said
    assert assistant.tracker(sender)["slots"]["crisis_level"] is None
    # The search the question interrupted asks on at once: no button to press first.
    assert said.index("How would you pay") > said.index("Thank you for answering me")
    searched = texts(assistant.say(sender, "medicaid"))
    assert "How old" in searched or "options" in searched


def test_going_on_with_the_request_instead_of_answering_is_met_as_imminent_and_the_search_goes_on(
    assistant, sender
):
    assistant.say(sender, "i need a therapist near 19143")
    assert (
        crisis_payload(assistant.say(sender, "everyone would be better off without me"))["level"]
        == "possible"
    )
    messages = assistant.say(sender, "i can only go after 5, do they take medicaid")
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "imminent"
    assert tuple(queued(assistant, sender)) == ("urgent", "crisis")
    said = texts(messages)
    assert "911" in said and "988" in said
    assert assistant.tracker(sender)["slots"]["crisis_level"] == "imminent"
    # The request goes on beside the crisis response: medicaid is taken, the next question asked.
    assert said.index("In the meantime") > said.index("988")
    assert assistant.tracker(sender)["slots"]["payment"] == "medicaid"
    assert "How old" in said or "options" in said


def test_a_possible_risk_in_spanish_is_asked_in_spanish(assistant, sender):
    messages = assistant.say(
        sender, "ya no voy a ser una carga para mi familia, pronto no tendran que preocuparse"
    )
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "possible" and payload["language"] == "es"
    assert "¿está pensando en quitarse la vida?" in texts(messages)
    no = texts(assistant.say(sender, "/deny"))
    assert "Gracias por contestarme" in no


def test_means_at_hand_without_intent_words_is_imminent(assistant, sender):
    payload = crisis_payload(assistant.say(sender, "the rope is already tied up in the garage"))
    assert payload is not None and payload["level"] == "imminent"
    assert "plan_or_means" in payload["categories"]


def test_an_answer_about_which_days_mid_search_is_not_a_crisis(assistant, sender):
    assistant.say(sender, "i need a support group near 19143")
    for text in ("only mondays after 5", "weekends work best for me"):
        assert crisis_payload(assistant.say(sender, text)) is None, text


def test_a_spanish_request_for_a_relative_who_wants_to_stop_drinking_is_not_a_crisis(assistant, sender):
    messages = assistant.say(sender, "mi esposo quiere dejar de tomar, donde hay ayuda en filadelfia")
    assert crisis_payload(messages) is None


def test_a_crisis_after_referrals_gets_the_response_and_the_referrals_stay(assistant, sender):
    shown = assistant.say(sender, "where can i get food in kensington")
    assert customs(shown, "referrals")
    messages = assistant.say(
        sender, "thanks. honestly i have the pills lined up and i'm going to take them all"
    )
    payload = crisis_payload(messages)
    assert payload is not None and payload["level"] == "imminent"
    assert tuple(queued(assistant, sender)) == ("urgent", "crisis")
