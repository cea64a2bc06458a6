"""Single messages nobody here trained on, through the real Rasa server (tests/nlu/evaluation.py).

The floors guard the sealed set's measured figures (see the README): a change may not
make the assistant understand people worse than it does. The open set is printed with
its misses; the sealed one with counts only.
"""

from __future__ import annotations

import pytest
import yaml

from bot.config import PROJECT_ROOT
from tests.nlu.evaluation import SETS, SPANISH_SETS, http_parser, load, score

# Measured on the sealed set (open and sealed side by side in the README): when it was
# written, before any change it measures, needs 42.9% and entities 62.0%; after session 17,
# 73.8% and 84.3%; after session 18, needs 81.7% (103/126) and entities 84.7% (216/255)
# (open, 350 messages: 91.4%, 92.6%). Then 45 more sealed messages were written blind (a
# third of all the messages is sealed again) and first measured on that code: with them,
# 83.6% (143/171) and 86.2% (318/369). Session 28 (ages and whom the help is for, read as
# staff and families write them, and which need is asked for): 86.0% (147/171) and 89.2% (329/369). The floors sit a few
# messages under those figures (retraining noise); issue 11's goal is 95% of needs.
SEALED_NEED_FLOOR = 0.83
SEALED_ENTITY_FLOOR = 0.87
# The Spanish sets (issue 12), written blind before any Spanish change. Measured then, on the
# sealed 60: needs 81.7%, entities 77.3%, conversation moves (greetings, yes, no, a person...)
# 12.5% (all of them read as one catch-all "spanish" intent). After the Spanish training data,
# vocabulary and understanding: 85.0% (51/60), 87.6% (85/97), 83.3% (20/24); the floors sit a
# few messages under (retraining noise).
SPANISH_SEALED_NEED_FLOOR = 0.80
SPANISH_SEALED_ENTITY_FLOOR = 0.84
SPANISH_SEALED_INTENT_FLOOR = 0.75


def training_texts() -> set[str]:
    """Every example the model learns from (intent examples and need examples; lookup tables
    and synonyms are vocabulary, not messages)."""
    texts: set[str] = set()
    for path in [
        *(PROJECT_ROOT / "data" / "nlu").rglob("*.yml"),
        *(PROJECT_ROOT / "data" / "needs").glob("*.yml"),
    ]:
        document = yaml.safe_load(path.read_text())
        for block in document.get("nlu") or document.get("needs") or []:
            if "intent" not in block and "metadata" not in block:
                continue
            for line in (block.get("examples") or "").splitlines():
                texts.add(line.strip().removeprefix("- ").strip().casefold())
    return texts


def message_texts(name: str) -> set[str]:
    """A set's messages of three words or more: "no", "no gracias" or a town's name alone are the
    vocabulary itself, which training data must hold too, not a message it could memorise."""
    return {text for case in load(name) if len((text := case["text"].strip().casefold()).split()) >= 3}


@pytest.mark.parametrize(("open_set", "sealed_set", "at_least"), [(*SETS, 300), (*SPANISH_SETS, 150)])
def test_the_sets_are_not_training_data_and_share_nothing(open_set, sealed_set, at_least):
    training = training_texts()
    sets = {name: message_texts(name) for name in (open_set, sealed_set)}
    # Counts only, computed outside the asserts: pytest prints an assert's operands, and a
    # failure must never show a sealed text.
    open_in_training = len(sets[open_set] & training)
    sealed_in_training = len(sets[sealed_set] & training)
    shared = len(sets[open_set] & sets[sealed_set])
    total = len(load(open_set)) + len(load(sealed_set))
    assert open_in_training == 0, f"{open_in_training} open texts are training data"
    assert sealed_in_training == 0, f"{sealed_in_training} sealed texts are training data"
    assert shared == 0, f"the open and sealed sets share {shared} texts"
    assert total >= at_least, f"{total} messages"
    assert len(load(sealed_set)) * 3 >= total * 0.95, "a sealed third"


def test_needs_and_facts_are_understood_in_messages_never_trained_on(assistant, capsys):
    parse = http_parser(assistant.api_url, assistant.api_headers)
    scores = {name: score(name, parse) for name in (*SETS, *SPANISH_SETS)}
    with capsys.disabled():  # the figures are make test's output, passed or not
        for name, result in scores.items():
            print("\n".join(result.lines(show_texts=not name.endswith("sealed"))))
    # Plain numbers, computed outside the asserts: pytest prints an assert's operands, and a
    # Score holds the texts it missed, which for a sealed set must never be shown.
    sealed, spanish = scores["sealed"], scores["es_sealed"]
    needs, facts = float(sealed.need_accuracy), float(sealed.entity_accuracy)
    es_needs, es_facts, es_moves = (
        float(spanish.need_accuracy),
        float(spanish.entity_accuracy),
        float(spanish.intent_accuracy),
    )
    assert needs >= SEALED_NEED_FLOOR, f"sealed need accuracy {needs:.1%}"
    assert facts >= SEALED_ENTITY_FLOOR, f"sealed entity accuracy {facts:.1%}"
    assert es_needs >= SPANISH_SEALED_NEED_FLOOR, f"Spanish sealed needs {es_needs:.1%}"
    assert es_facts >= SPANISH_SEALED_ENTITY_FLOOR, f"Spanish sealed entities {es_facts:.1%}"
    assert es_moves >= SPANISH_SEALED_INTENT_FLOOR, f"Spanish sealed conversation moves {es_moves:.1%}"
