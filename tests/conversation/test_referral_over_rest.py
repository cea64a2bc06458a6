"""Real conversations with the real assistant over the REST channel."""

from __future__ import annotations

import json

from tests.assistant import customs, rest_conversation_id, texts

REFERRAL_KEYS = {
    "id",
    "name",
    "organization",
    "distance_miles",
    "phone",
    "address",
    "open_now",
    "hours_today",
    "reasons",
}


def test_greeting_says_what_it_does_and_that_it_is_not_an_emergency_service(assistant, sender):
    messages = assistant.say(sender, "hi")
    reply = texts(messages)
    assert "911" in reply and "988" in reply
    assert "not an emergency service" in reply
    # The test stack has advocates on shift (WAYFINDER_ADVOCATE_HOURS=always): a person is offered.
    assert "online now if you'd rather talk to a person" in reply
    buttons = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert '/request_help{"need": "counseling"}' in buttons and buttons[-1] == "/human_handoff"


def test_a_detailed_request_asks_only_what_is_missing_then_gives_three_referrals(assistant, sender):
    first = texts(assistant.say(sender, "I need a therapist who takes Medicaid near 19143"))
    assert "How old" in first
    assert "ZIP" not in first and "pay" not in first
    messages = assistant.say(sender, "34")
    cards = customs(messages, "referrals")
    assert len(cards) == 1
    services = cards[0]["services"]
    assert len(services) >= 3
    for service in services:
        assert set(service) >= REFERRAL_KEYS
        assert "accepts Medicaid (Medical Assistance)" in " ".join(service["reasons"])
        # Near, or by phone or online (one ranks in when it is open and the clinics are not).
        assert service["distance_miles"] is None or service["distance_miles"] <= 10
        assert (service["distance_miles"] is None) == ("by phone or online" in service["reasons"])
    reply = texts(messages)
    assert "1. " in reply and "988" in reply  # the safety note for a caller who skipped the greeting


def test_a_food_pantry_needs_no_insurance_question(assistant, sender):
    messages = assistant.say(sender, "where can i get food in kensington")
    assert "insurance" not in texts(messages).lower()
    services = customs(messages, "referrals")[0]["services"]
    assert len(services) >= 3
    assert all("food" in " ".join(service["reasons"]) for service in services)


def test_details_on_one_option_say_hours_how_to_get_in_and_what_to_bring(assistant, sender):
    assistant.say(sender, "i need a psychiatrist near 19104 with medicare")
    assistant.say(sender, "skip")
    reply = texts(assistant.say(sender, "the first one"))
    assert "Hours" in reply
    assert "Monday:" in reply


def test_an_unknown_zip_is_a_clear_answer_and_can_be_corrected(assistant, sender):
    reply = texts(assistant.say(sender, "i need a food pantry near 00000"))
    assert "couldn't find that ZIP code" in reply
    messages = assistant.say(sender, "19134")
    assert customs(messages, "referrals")


def test_answers_for_someone_else_given_early(assistant, sender):
    reply = texts(
        assistant.say(sender, "my son is 15 and using again, we have keystone first, we live in 19134")
    )
    messages = assistant.say(sender, "ok") if "How old" in reply else []
    cards = customs(messages, "referrals") or None
    tracker = assistant.tracker(sender)
    assert tracker["slots"]["age"] == "15"
    assert tracker["slots"]["payment"] == "medicaid"
    assert tracker["slots"]["relation"] == "child"
    assert tracker["slots"]["need"] == "substance_use"
    assert cards is None or cards[0]["services"]


def test_honest_about_being_a_bot(assistant, sender):
    reply = texts(assistant.say(sender, "are you a real person?"))
    assert "not a person" in reply


def test_spanish_is_understood_and_answered_in_spanish_all_the_way_to_a_person(assistant, sender):
    messages = assistant.say(sender, "hola, necesito un psicólogo para mi hijo de 9 años, tenemos Medicaid")
    assert messages and all(
        (message.get("custom") or {}).get("language") == "es" for message in messages if message.get("custom")
    )
    slots = assistant.tracker(sender)["slots"]
    assert slots["caller_language"] == "es" and slots["need"] in ("counseling", "child_youth")
    assert slots["payment"] == "medicaid"
    reply = texts(assistant.say(sender, "19140"))
    assert "Aquí tiene" in reply or "opciones" in reply
    handoff = assistant.say(sender, "quiero hablar con una persona")
    [waiting] = [m["custom"] for m in handoff if (m.get("custom") or {}).get("type") == "handoff"]
    assert waiting["language"] == "es"
    assert "911" in texts(handoff) and "988" in texts(handoff)


def test_newsletter_signup_stores_the_email_with_consent(assistant, sender):
    assistant.say(sender, "sign me up for the newsletter")
    assistant.say(sender, "jordan.reyes@example.org")
    reply = texts(assistant.say(sender, "yes"))
    assert "signed up" in reply
    emails = [email for (email,) in assistant.query("SELECT email FROM wf_newsletter_signup")]
    assert "jordan.reyes@example.org" in emails


def test_individual_advocacy_intake_is_stored_and_queued_for_an_advocate(assistant, sender):
    assistant.say(sender, "my benefits got denied and nobody will listen to me")
    asked = assistant.say(
        sender, "My SSI was cut off last month without a letter and I need help appealing it."
    )
    assert "How can an advocate reach you" in texts(asked)
    [skip] = [b for m in asked for b in m.get("buttons") or [] if b["title"] == "Skip"]
    assistant.say(sender, skip["payload"])  # the caller taps Skip
    reply = texts(assistant.say(sender, "yes"))
    assert "advocacy team" in reply
    [(intake,)] = assistant.query(
        "SELECT summary FROM wf_advocacy_intake WHERE conversation_id = :c", c=rest_conversation_id(sender)
    )
    [queued] = assistant.query(
        "SELECT priority, reason FROM wf_handoff WHERE conversation_id = :c", c=rest_conversation_id(sender)
    )
    assert "SSI was cut off" in intake
    assert queued == ("high", "individual_advocacy")


def test_bad_input_gets_a_clear_answer_and_no_error(assistant, sender):
    status, body = assistant.post(b"{not json")
    assert status == 400 and "JSON" in body["error"]
    status, body = assistant.post(json.dumps({"message": "hi"}).encode())
    assert status == 400 and "sender" in body["error"]
    assert "didn't get any words" in texts(assistant.say(sender, "   "))
    long_reply = assistant.say(sender, "I need help " * 1500)
    assert "long message" in texts(long_reply)
    status, body = assistant.post(json.dumps({"sender": sender, "message": "I need help " * 2000}).encode())
    assert status == 413 and "longer than" in body["error"]
    assert texts(assistant.say(sender, "😭😭😭"))
    html_reply = assistant.say(sender, "<script>alert('x')</script><b>help</b>")
    assert "<script>" not in json.dumps(html_reply)


def test_keyboard_mash_at_the_consent_question_signs_nobody_up(assistant, sender):
    assistant.say(sender, "sign me up for the newsletter")
    assistant.say(sender, "casey.morgan@example.org")
    reply = texts(assistant.say(sender, "kjhgfdsa"))
    assert "signed up" not in reply
    emails = [email for (email,) in assistant.query("SELECT email FROM wf_newsletter_signup")]
    assert "casey.morgan@example.org" not in emails
