"""SMS end to end: signed Twilio webhooks to the real Rasa server, texts out through a fake Twilio."""

from __future__ import annotations

import re
import threading

from bot.programs import organization
from bot.sms.text import MAX_SMS_CHARS
from tests.channels.conftest import Texter, http
from tests.fakes.twilio import PUBLIC_URL

UNSUBSCRIBED = "You're unsubscribed"
SUBSCRIBED = "You're subscribed again"
HELP = "Reply STOP to opt out"


def test_the_channel_is_open_and_configured(texter: Texter):
    status, body = http(f"{texter.assistant.api_url}/webhooks/twilio/")
    assert status == 200 and b'"configured":true' in body


def test_a_webhook_without_a_valid_signature_is_refused_and_reaches_nobody(texter: Texter):
    form = texter.form("I need a food pantry")
    assert texter.post(form, signature="")[0] == 403
    assert texter.post(form, signature="bm90IGEgc2lnbmF0dXJl")[0] == 403
    # Signed for the URL the server sees, not the public one Twilio calls behind the proxy.
    assert texter.post(form, signed_url=texter.webhook_url)[0] == 403
    # Signed, then changed on the way.
    signed = texter.form("hi")
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(texter.fake.auth_token).compute_signature(PUBLIC_URL, signed)
    assert texter.post({**signed, "Body": "I need a food pantry"}, signature=signature)[0] == 403
    assert texter.user_texts() == []
    texter.text("HELP")
    [_help] = texter.wait_for(HELP)  # the help answer is the only text sent


def test_help_answers_with_the_program_how_to_opt_out_and_the_crisis_line(texter: Texter):
    answer = texter.text("  help ")
    assert "<Response></Response>" in answer
    [reply] = texter.wait_for(HELP)
    assert organization()["name"] in reply and "STOP" in reply and "988" in reply
    assert texter.user_texts() == []  # a keyword is not a message to the assistant


def test_spanish_keywords_opt_out_and_back_in_with_answers_in_spanish(texter: Texter):
    texter.text("hola")
    texter.text("PARAR")
    stopped = texter.wait_for("Ya no recibirá mensajes")[-1]
    assert "COMENZAR" in stopped and "988" in stopped
    texter.text("necesito comida en 19134")
    texter.text("AYUDA")
    texter.text("comenzar")
    texter.wait_for("Volvió a suscribirse")
    assert "necesito comida en 19134" not in texter.user_texts()
    helped = [body for body in texter.fake.bodies(texter.phone) if "PARAR" in body and "911" in body]
    assert helped, "AYUDA is answered in Spanish, with 911 and 988"


def test_stop_stops_everything_until_start(texter: Texter):
    texter.text("hi")
    texter.text("STOP")
    texter.wait_for(UNSUBSCRIBED)
    stopped_at = len(texter.fake.bodies(texter.phone))
    # Nothing reaches the assistant, and nothing the assistant says goes out:
    texter.text("I need a therapist near 19143")
    texter.text("stop")  # no second confirmation
    status, _ = texter.api(
        f"{texter.conversation}/tracker/events?output_channel=latest&execute_side_effects=true",
        {"event": "bot", "text": "Hi, this is Sam, an advocate."},
    )
    assert status == 200
    status, _ = texter.api(f"{texter.conversation}/trigger_intent?output_channel=latest", {"name": "greet"})
    assert status == 200
    # HELP is still answered, and START opts back in; both queue behind anything sent before.
    texter.text("HELP")
    texter.text("Start")
    after = texter.wait_for(SUBSCRIBED, after=stopped_at)
    assert len(after) == 2 and HELP in after[0] and SUBSCRIBED in after[1]
    assert "I need a therapist near 19143" not in texter.user_texts()
    # Back in: the assistant answers again, and an advocate's words arrive.
    texter.text("I need a food pantry near 19134")
    texter.wait_for(" - ", after=stopped_at + 2)
    status, _ = texter.api(
        f"{texter.conversation}/tracker/events?output_channel=latest&execute_side_effects=true",
        {"event": "bot", "text": "Hi, this is Sam, an advocate."},
    )
    assert status == 200
    texter.wait_for("this is Sam", after=stopped_at + 2)


def test_numbered_replies_select_the_buttons_they_name(texter: Texter):
    email = f"sms.{texter.phone[-7:]}@example.org"
    texter.text("sign me up for the newsletter")
    texter.wait_for("email")
    seen = len(texter.replies())
    texter.text(email)
    [consent] = texter.wait_for("Reply with a number:", after=seen)[-1:]
    assert "\n1. Yes, sign me up\n2. No thanks" in consent
    seen = len(texter.replies())
    texter.text("1")
    texter.wait_for("signed up", after=seen)
    assert texter.user_texts()[-1] == "/affirm"
    assert (email,) in texter.assistant.query("SELECT email FROM wf_newsletter_signup")


def test_a_crisis_text_keeps_911_and_988_and_its_choices_are_numbered(texter: Texter):
    texter.text("i want to die")
    texter.wait_for("988")
    crisis = "\n".join(texter.replies())
    assert "911" in crisis and "988" in crisis
    assert "1. I'm in danger right now" in crisis and "2. I'm safe right now" in crisis
    seen = len(texter.replies())
    texter.text("2")
    texter.wait_for("glad you're safe", after=seen)


def test_a_possible_risk_by_text_is_asked_directly_and_a_numbered_yes_is_met_as_imminent(texter: Texter):
    texter.text("i just want the pain to stop for good")
    asked = "\n".join(texter.wait_for("killing yourself"))
    assert "988" in asked and "911" in asked
    assert "1. Yes" in asked and "2. No" in asked
    seen = len(texter.replies())
    texter.text("1")
    texter.wait_for("staying right here with you", after=seen)
    assert texter.user_texts()[-1] == "/affirm"


def test_a_possible_risk_in_spanish_by_text_is_asked_in_spanish(texter: Texter):
    texter.text("quiero que todo se acabe para siempre, ya no quiero ser una carga")
    asked = "\n".join(texter.wait_for("quitarse la vida"))
    assert "AYUDA" in asked and "988" in asked


def test_a_retried_message_sid_is_answered_once(texter: Texter):
    form = texter.form("where can i get food in kensington")
    answers: list[tuple[int, str]] = []

    def deliver() -> None:
        answers.append(texter.post(form))

    # Twilio retrying a slow webhook: the same MessageSid while the first is still being handled.
    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200, 200, 200]
    texter.post(form)  # and once more, after it was answered
    texter.text("HELP")  # queued behind every answer to the food question
    replies = texter.wait_for(HELP)
    assert texter.user_texts() == ["where can i get food in kensington"]
    assert sum(bool(re.search(r"^1\. ", body, re.M)) for body in replies) == 1


def test_a_long_answer_arrives_split_in_order(texter: Texter):
    texter.text("hi")
    seen = len(texter.wait_for("What can I help you find?"))
    paragraphs = [
        " ".join(
            f"Paragraph {p} sentence {s} tells the caller something they need to know." for s in range(12)
        )
        for p in range(6)
    ]
    long_text = "\n\n".join(paragraphs)
    assert len(long_text) > 2 * MAX_SMS_CHARS
    status, _ = texter.api(
        f"{texter.conversation}/tracker/events?output_channel=latest&execute_side_effects=true",
        {"event": "bot", "text": long_text},
    )
    assert status == 200
    parts = texter.wait_for("Paragraph 5 sentence 11", after=seen)
    parts = parts[next(i for i, part in enumerate(parts) if part.startswith("Paragraph 0")) :]
    assert len(parts) >= 3
    assert all(len(part) <= MAX_SMS_CHARS for part in parts)
    assert all(part.startswith("Paragraph ") for part in parts)  # split between paragraphs
    assert " ".join(parts).split() == long_text.split()


def test_a_referral_conversation_delivers_compact_card_lines(texter: Texter):
    texter.text("I need a therapist who takes Medicaid near 19143")
    texter.wait_for("How old")
    seen = len(texter.replies())
    texter.text("34")
    replies = texter.wait_for("Or reply with a number", after=seen)
    answer = "\n".join(replies)
    cards = re.findall(
        # A place's distance, or "by phone or online" for a service one reaches from home.
        r"^(\d)\. (.+) - (\d{3}-\d{3}-\d{4}|988|\S+) - ([\d.]+ mi|by phone or online)(?: - (open now|closed now))?$",
        answer,
        re.M,
    )
    assert [number for number, *_ in cards] == ["1", "2", "3"], answer
    assert "Why:" not in answer and "988" in answer
    assert all(len(reply) <= MAX_SMS_CHARS for reply in replies)
    seen = len(texter.replies())
    texter.text("1")  # the first card's number asks for its details
    details = "\n".join(texter.wait_for("Hours", after=seen))
    assert cards[0][1] in details


def test_transient_twilio_failures_are_retried_until_delivered(texter: Texter):
    texter.fake.fail_next(2, status=503, to=texter.phone)
    texter.text("HELP")
    texter.wait_for(HELP)
    assert texter.fake.statuses(texter.phone) == [503, 503, 201]


def test_a_flood_of_texts_is_slowed_down_with_one_notice_but_a_crisis_gets_through(texter: Texter):
    for n in range(30):
        texter.text(f"hello {n}")
    texter.text("hello again")
    texter.text("hello once more")
    texter.wait_for("faster than I can read")
    texter.text("I have the pills in my hand and I'm taking them all now")
    texter.wait_for("Lifeline")
    assert (
        sum("faster than I can read" in body for body in texter.replies()) == 1
    )  # one notice, not one per text
    said = texter.user_texts()
    assert "hello again" not in said and "hello once more" not in said
    assert any("pills in my hand" in text for text in said)
