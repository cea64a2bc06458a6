"""The reply contract (bot/messages.py) and the copy catalog (data/copy/caller.yml)."""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.copy import LANGUAGES, catalog, placeholders, say
from bot.messages import (
    PAYLOADS,
    AdvocacyIntake,
    AdvocateMessage,
    Callback,
    Card,
    Crisis,
    CrisisCheck,
    Handoff,
    Language,
    Message,
    Paging,
    Referrals,
    ServiceDetails,
    payload_from_json,
    plain_text,
)

CARD = Card(
    number=4,
    id="svc-1",
    name="Cedar Park Counseling",
    organization="Cedar Park",
    distance_miles=1.2,
    phone="215-555-0100",
    address="12 Main St",
    open_now=False,
    next_open="opens at 9 am",
    reasons=("offers counseling", "accepts medicaid", "1.2 miles away"),
    caveats=("for older adults: check",),
)
EXAMPLES = [
    Referrals(
        language="es",
        need="counseling",
        intro="Aquí tiene más opciones de terapia:",
        services=(CARD,),
        paging=Paging(first=4, shown=1, total=7),
        footer=("Elija un número.",),
        notices=("Busqué más lejos.",),
    ),
    ServiceDetails(
        service={"id": "svc-1", "name": "Cedar"}, rows=(("", "Cedar"), ("Hours", "Mon 9-5\nTue 9-5"))
    ),
    Crisis(
        language="es", level="possible", categories=("suicide",), resources=({"name": "988", "call": "988"},)
    ),
    CrisisCheck(answer="no"),
    Handoff(state="waiting", position=2),
    AdvocateMessage(advocate="Sam"),
    Callback(),
    AdvocacyIntake(reference=12),
    Language(language="es"),
]


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: p.type)
def test_every_payload_survives_its_json_shape(payload):
    data = payload.to_json()
    assert data["type"] == payload.type and data["language"] == payload.language
    assert payload_from_json(data) == payload


def test_every_kind_of_bot_message_has_a_payload_type_and_a_documented_shape():
    assert set(PAYLOADS) == {p.type for p in EXAMPLES}
    documented = (PROJECT_ROOT / "docs" / "messages.md").read_text()
    for kind in PAYLOADS:
        assert f"`{kind}`" in documented, f"docs/messages.md does not describe {kind}"


def test_unknown_or_broken_payloads_are_none_not_errors():
    assert payload_from_json(None) is None
    assert payload_from_json({"type": "nope"}) is None
    assert payload_from_json({"type": "referrals", "services": "not a list"}).services == ()
    assert payload_from_json({"type": "handoff", "position": 3, "unknown": 1}) == Handoff(position=3)


def test_a_crisis_payload_is_flagged_for_every_channel():
    assert Crisis().to_json()["crisis"] is True
    assert CrisisCheck().to_json()["crisis"] is False


def test_the_text_fallback_is_drawn_from_the_cards_in_the_payloads_language():
    referrals = EXAMPLES[0]
    text = plain_text(referrals)
    assert text.split("\n")[:2] == ["Busqué más lejos.", "Aquí tiene más opciones de terapia:"]
    assert "4. Cedar Park Counseling (1.2 mi, cerrado ahora, opens at 9 am)" in text
    assert "Por qué: offers counseling; accepts medicaid." in text  # distance is in the facts already
    assert "Para confirmar: for older adults: check." in text
    assert text.endswith("Elija un número.")
    assert referrals.to_json()["paging"] == {"first": 4, "shown": 1, "total": 7, "more": True}


def test_details_rows_keep_a_week_of_hours_one_day_a_line():
    assert plain_text(EXAMPLES[1]) == "Cedar\nHours:\n  Mon 9-5\n  Tue 9-5"


def test_a_message_hands_rasa_its_text_buttons_and_payload():
    message = Message.of(Callback(language="es"), [{"title": "Sí", "payload": "/affirm"}], text="Gracias.")
    assert message.to_rasa() == {
        "text": "Gracias.",
        "buttons": [{"title": "Sí", "payload": "/affirm"}],
        "json_message": {"type": "callback", "language": "es", "state": "requested"},
    }


# ---------------------------------------------------------------- the catalog


# Entries with a language left empty on purpose, each with why.
EMPTY_ON_PURPOSE = {
    ("widget.text988Keyword", "en"): "in English, 988 is texted with no keyword (the widget opens sms:988)",
}


def test_every_sentence_is_in_english_and_spanish_with_the_same_placeholders():
    for key, entry in catalog().items():
        missing = [lang for lang in LANGUAGES if not entry.get(lang) and (key, lang) not in EMPTY_ON_PURPOSE]
        assert not missing, f"{key} has no {missing}"
        assert placeholders(entry["es"]) == placeholders(entry["en"]), key


def test_say_fills_placeholders_and_falls_back_to_english_for_other_languages():
    assert say("card.miles", "es", miles="2") == "2 mi"
    assert say("card.open_now", "es-MX") == "abierto ahora"
    assert say("card.open_now", "fr") == say("card.open_now", None) == "open now"


def test_every_catalog_id_the_code_uses_exists():
    used = set()
    for folder in ("bot", "actions", "components"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r"""\bsay\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
            used |= set(re.findall(r"""\butter\([^)]*?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    assert used, "no use of the catalog found"
    unknown = sorted(used - set(catalog()))
    assert not unknown, f"ids used but not in data/copy/caller.yml: {unknown}"
