"""SMS text: keywords, rendering of real bot messages, splitting, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import referral
from bot.directory import Directory
from bot.messages import Card
from bot.run import SAMPLE_DIRECTORY
from bot.safety.detector import Assessment
from bot.safety.protocol import crisis_reply
from bot.sms.text import (
    MAX_SMS_CHARS,
    Keyword,
    card_line,
    classify_keyword,
    help_text,
    keyword_and_language,
    mask_phone,
    menu_choice,
    opt_out_text,
    render_message,
    segments,
    sms_length,
    split_message,
)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.OPT_OUT),
        ("  stop \n", Keyword.OPT_OUT),
        ("StopAll", Keyword.OPT_OUT),
        ("unsubscribe", Keyword.OPT_OUT),
        ("Cancel", Keyword.OPT_OUT),
        ("end", Keyword.OPT_OUT),
        ("QUIT", Keyword.OPT_OUT),
        ("revoke", Keyword.OPT_OUT),
        ("optout", Keyword.OPT_OUT),
        ("START", Keyword.OPT_IN),
        ("unstop", Keyword.OPT_IN),
        ("Yes", Keyword.OPT_IN),
        ("help", Keyword.HELP),
        (" INFO ", Keyword.HELP),
        ("please stop", None),
        ("stop it", None),
        ("i need help", None),
        ("", None),
        (None, None),
    ],
)
def test_keywords_are_the_whole_message_case_insensitive_trimmed(text, keyword):
    assert classify_keyword(text) is keyword


def test_help_names_the_program_how_to_opt_out_and_the_crisis_line():
    text = help_text({"name": "Mental Health Advocacy Network", "phone": "215-555-0100"})
    assert "Mental Health Advocacy Network" in text
    assert "STOP" in text and "988" in text
    assert "Mental Health Advocacy Network" in help_text()  # data/organization.yml


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+12155550123", "***0123"),
        ("whatsapp:+442071838750", "***8750"),
        ("88788", "***88"),
        ("12", "***"),
        ("", "***"),
        (None, "***"),
    ],
)
def test_masked_numbers_show_only_their_last_digits(number, masked):
    assert mask_phone(number) == masked


def test_buttons_become_a_numbered_list_and_a_digit_selects_the_payload():
    rendered = render_message(
        {
            "text": "OK to sign you up?",
            "buttons": [
                {"title": "Yes, sign me up", "payload": "/affirm"},
                {"title": "No thanks", "payload": "/deny"},
            ],
        }
    )
    assert rendered.text == "OK to sign you up?\n\nReply with a number:\n1. Yes, sign me up\n2. No thanks"
    assert menu_choice("1", rendered.menu) == "/affirm"
    for reply in (" 2 ", "2.", "#2", "2)"):
        assert menu_choice(reply, rendered.menu) == "/deny"
    for reply in ("3", "0", "two", "12 years", "1 2"):
        assert menu_choice(reply, rendered.menu) is None
    assert menu_choice("1", None) is None


def test_a_message_without_buttons_offers_no_menu():
    assert render_message({"text": "Hello."}).menu is None


@pytest.fixture(scope="module")
def sample_directory(tmp_path_factory) -> Directory:
    directory = Directory(f"sqlite:///{Path(tmp_path_factory.mktemp('sms')) / 'directory.sqlite3'}")
    directory.import_path(SAMPLE_DIRECTORY)
    yield directory
    directory.close()


def referral_message(directory: Directory, start: int = 0) -> dict:
    """A real referral answer, as the action sends it (text, buttons, custom payload)."""
    query = referral.CallerNeeds(need="counseling", location="19143", payment="medicaid", age=34).query(50)
    reply = referral.results_reply(directory.taxonomy, directory.search(query), start)
    return {"text": reply.text, "buttons": reply.buttons, "custom": reply.payload}


def test_referral_cards_become_compact_lines_numbered_as_the_caller_replies(sample_directory):
    message = referral_message(sample_directory)
    services = message["custom"]["services"]
    rendered = render_message(message)
    lines = rendered.text.split("\n")
    for number, service in enumerate(services, start=1):
        assert service["number"] == number
        line = card_line(Card.from_json(service, number))
        assert line in lines
        assert line.startswith(f"{number}. {service['name']} - {service['phone']} - ")
        distance = service["distance_miles"]
        assert (f"{distance:g} mi" if distance is not None else "by phone or online") in line
    assert "Why:" not in rendered.text  # the long per-service lines are replaced, not repeated
    assert lines[0].startswith("Here are")
    # "Details on 2" is chosen by the card's own number; the other buttons follow the cards.
    assert menu_choice("2", rendered.menu) == '/choose_option{"option": "2"}'
    assert f"{len(services) + 1}. " in rendered.text
    assert "Details on" not in rendered.text


def test_the_second_page_of_cards_keeps_its_numbers(sample_directory):
    message = referral_message(sample_directory, start=3)
    rendered = render_message(message)
    assert rendered.text.split("\n")[1].startswith("4. ")
    assert menu_choice("4", rendered.menu) == '/choose_option{"option": "4"}'
    assert menu_choice("1", rendered.menu) is None


def test_a_card_line_says_what_it_cannot_know():
    line = card_line(Card(1, "a", "Lifeline", phone="988"))
    assert line == "1. Lifeline - 988 - by phone or online"
    closed = card_line(Card(2, "b", "Clinic", distance_miles=2.0, open_now=False, next_open="opens at 9 am"))
    assert closed == "2. Clinic - 2 mi - closed now"
    assert (
        card_line(Card(2, "b", "Clinic", distance_miles=2.0, open_now=True), "es")
        == "2. Clinic - 2 mi - abierto ahora"
    )


def test_cards_are_drawn_from_the_payload_not_parsed_from_the_text(sample_directory):
    message = referral_message(sample_directory)
    message["text"] = "1. Not a service\n2. Neither"  # a REST-only fallback the phone never shows
    rendered = render_message(message)
    assert "Not a service" not in rendered.text
    assert rendered.text.split("\n")[1].startswith(f"1. {message['custom']['services'][0]['name']} - ")


def test_a_crisis_message_keeps_911_and_988_and_its_choices():
    reply = crisis_reply(
        Assessment(text="i want to die").finding(), advocates_online=False, need_label="counseling"
    )
    rendered = render_message({"text": reply.text, "buttons": reply.buttons, "custom": reply.payload})
    assert "988" in rendered.text and "911" in rendered.text
    assert rendered.text.startswith(reply.text)
    assert menu_choice("2", rendered.menu) == "/affirm"
    only_payload = render_message({"custom": {"crisis": True, "language": "es"}})
    assert "988" in only_payload.text and "911" in only_payload.text and "AYUDA" in only_payload.text


def test_a_short_message_is_one_part():
    assert split_message("  Hello there.  ") == ["Hello there."]
    assert split_message("   ") == []


def words(parts: list[str]) -> list[str]:
    return " ".join(parts).split()


def test_a_long_answer_splits_at_paragraphs_in_order():
    paragraphs = [f"Paragraph {n}. " + ("Some sentence here. " * 30).strip() for n in range(8)]
    text = "\n\n".join(paragraphs)
    parts = split_message(text)
    assert len(parts) > 1
    assert all(sms_length(part) <= MAX_SMS_CHARS for part in parts)
    assert words(parts) == text.split()
    # Every part holds whole paragraphs.
    assert all(part.startswith("Paragraph ") for part in parts)
    assert {p for part in parts for p in part.split("\n\n")} == set(paragraphs)


def test_a_long_paragraph_splits_at_sentences():
    sentences = [f"Sentence number {n} says something useful about the service." for n in range(60)]
    text = " ".join(sentences)
    parts = split_message(text, limit=500)
    assert len(parts) > 1
    assert all(sms_length(part) <= 500 and part.endswith(".") for part in parts)
    assert words(parts) == text.split()


def test_a_word_longer_than_a_message_is_cut_and_emoji_count_double():
    parts = split_message("x" * 3500)
    assert [len(part) for part in parts] == [1600, 1600, 300]
    emoji = split_message("😭" * 1000)
    assert all(sms_length(part) <= MAX_SMS_CHARS for part in emoji)
    assert "".join(emoji) == "😭" * 1000


@pytest.mark.parametrize(
    ("text", "keyword", "language"),
    [
        ("PARAR", Keyword.OPT_OUT, "es"),
        (" alto ", Keyword.OPT_OUT, "es"),
        ("Comenzar", Keyword.OPT_IN, "es"),
        ("ayuda", Keyword.HELP, "es"),
        ("STOP", Keyword.OPT_OUT, "en"),
        ("help", Keyword.HELP, "en"),
    ],
)
def test_spanish_keywords_are_keywords_and_answered_in_spanish(text, keyword, language):
    assert keyword_and_language(text) == (keyword, language)
    assert keyword_and_language("ayuda por favor") is None  # a sentence is for the assistant
    org = {"name": "MHAN", "phone": "215-555-0100"}
    assert "PARAR" in help_text(org, "es") and "988" in help_text(org, "es") and "911" in help_text(org, "es")
    assert "COMENZAR" in opt_out_text(org, "es")
    assert "STOP" in help_text(org, "en")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),  # 153 a part once concatenated
        ("ñandú é" + "a" * 150, 3),  # "ú" is not GSM-7: 157 UCS-2 units, 67 a part
        ("¿Dónde?", 1),
        ("é" * 160, 1),  # "é" is in the GSM-7 basic set
        ("€" * 80, 1),  # the euro sign takes two septets
        ("€" * 81, 2),
        ("ó" * 70, 1),
        ("ó" * 71, 2),
    ],
)
def test_segments_are_counted_as_gsm7_or_ucs2(text, count):
    assert segments(text) == count


def test_splitting_and_numbered_choices_keep_accents_intact():
    spanish = "Elija un número para ver los detalles: horario, cómo entrar, qué llevar. " * 40
    parts = split_message(spanish)
    assert "".join(parts).replace(" ", "") == spanish.strip().replace(" ", "")
    assert all("�" not in part for part in parts)
    rendered = render_message(
        {
            "text": "¿Quiere que le llamemos?",
            "buttons": [
                {"title": "Sí, llámenme", "payload": "/request_callback"},
                {"title": "No, gracias", "payload": "/deny"},
            ],
            "custom": {"type": "handoff", "language": "es", "state": "waiting", "advocates_online": False},
        }
    )
    assert (
        rendered.text
        == "¿Quiere que le llamemos?\n\nResponda con un número:\n1. Sí, llámenme\n2. No, gracias"
    )
    assert menu_choice("1", rendered.menu) == "/request_callback"
