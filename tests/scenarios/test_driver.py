"""How the scenario driver plays a caller who is not at risk (tests/scenarios/driver.py)."""

from __future__ import annotations

import pytest

from tests.scenarios.driver import answer_for

FACTS = {"need": "un grupo de apoyo para familias", "location": "19140", "yes_no_default": "sí"}


@pytest.mark.parametrize(
    "question",
    [
        "I want to ask you directly, because it matters: are you thinking about killing yourself?",
        "Quiero preguntarle directamente, porque me importa: ¿está pensando en quitarse la vida?",
        "¿Está en peligro inmediato, o pensando en hacerlo ahora mismo?",
    ],
)
def test_a_caller_not_at_risk_says_no_when_asked_directly(question):
    assert answer_for(question, FACTS) == "no"


def test_after_saying_they_are_safe_the_caller_goes_back_to_their_need():
    question = "¿Qué le ayudaría más ahora? Puedo seguir buscando servicios con usted."
    assert answer_for(question, FACTS) == FACTS["need"]


def test_other_yes_no_questions_still_get_the_default():
    assert answer_for("¿Quiere que le busque otra cosa?", FACTS) == "sí"
