"""What the caller is told: published numbers, exactly, and what fits the situation."""

from __future__ import annotations

import re

import pytest

from bot.safety.detector import assess
from bot.safety.protocol import crisis_reply


def reply_for(text: str, online: bool = True):
    return crisis_reply(assess(text).finding(), advocates_online=online)


def test_every_crisis_reply_gives_988_911_and_the_crisis_text_line_and_flags_crisis():
    reply = reply_for("i want to kill myself")
    assert "call or text 988" in reply.text and "911" in reply.text and "text HOME to 741741" in reply.text
    assert reply.payload["crisis"] is True and reply.payload["type"] == "crisis"
    assert {"I'm in danger right now", "I'm safe right now"} <= {b["title"] for b in reply.buttons}


def test_veterans_get_the_veterans_crisis_line():
    reply = reply_for("i'm a veteran and i don't want to live anymore")
    assert "dial 988 then press 1, or text 838255" in reply.text


def test_overdose_gives_911_and_naloxone_guidance():
    reply = reply_for("my friend overdosed and isn't breathing")
    assert (
        "call 911 now" in reply.text and "naloxone (Narcan)" in reply.text and "on their side" in reply.text
    )


def test_danger_at_home_gives_the_domestic_violence_hotline():
    reply = reply_for("my husband is beating me")
    assert "1-800-799-7233" in reply.text and "text START to 88788" in reply.text


def test_a_third_party_crisis_says_what_to_do_for_the_other_person():
    reply = reply_for("my son says he wants to kill himself")
    assert "help them" in reply.text and "stay with them" in reply.text


def test_spanish_speakers_get_988_press_2_and_ayuda():
    reply = reply_for("ya no quiero vivir")
    assert "988 y marcar 2" in reply.text and "AYUDA" in reply.text
    assert reply.payload["language"] == "es"


def test_out_of_hours_says_no_advocate_is_online_and_keeps_988_in_front():
    reply = reply_for("i want to die", online=False)
    assert "aren't online right now" in reply.text and "988" in reply.text
    assert reply.payload["advocates_online"] is False


NUMBER = re.compile(r"\d[\d-]{2,}\d")
SITUATIONS = [
    "i want to kill myself",
    "i dont see a way out of this anymore",
    "my friend overdosed and isn't breathing",
    "my husband is beating me",
    "my son says he wants to kill himself",
    "i'm a veteran and i don't want to live anymore",
    "i feel like i might hurt someone",
    "i think im being trafficked",
]


@pytest.mark.parametrize("text", SITUATIONS)
@pytest.mark.parametrize("online", [True, False])
def test_a_spanish_reply_gives_the_help_the_english_one_gives(text, online):
    """The same situation in Spanish: every number but the Crisis Text Line's (its HOME keyword
    is English), 988 with press 2 and AYUDA, the same choices and the same resources."""
    finding = assess(text).finding()
    english = crisis_reply(finding, online, need_label="counseling", language="en")
    spanish = crisis_reply(finding, online, need_label="terapia", language="es")
    assert set(NUMBER.findall(english.text)) - {"741741"} <= set(NUMBER.findall(spanish.text))
    assert "911" in spanish.text and "988 y marcar 2" in spanish.text and "AYUDA" in spanish.text
    assert spanish.payload["language"] == "es" and spanish.payload["level"] == english.payload["level"]
    assert [b["payload"] for b in spanish.buttons] == [b["payload"] for b in english.buttons]
    swap = {"988 Suicide & Crisis Lifeline": "988 Lifeline en español"}
    expected = [
        swap.get(r["name"], r["name"])
        for r in english.payload["resources"]
        if r["name"] != "Crisis Text Line"
    ]
    assert [r["name"] for r in spanish.payload["resources"]] == expected
    assert len(spanish.text.split("\n")) == len(english.text.split("\n"))


def test_a_button_is_answered_in_the_language_asked_for():
    reply = crisis_reply(assess("/crisis").finding(), advocates_online=True, language="es")
    assert reply.payload["language"] == "es" and "988 y marcar 2" in reply.text
