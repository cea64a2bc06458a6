"""Our vocabulary and word knowledge: what the entity ruler and the guards rely on."""

from __future__ import annotations

import pytest

from bot.nlp.language import guess
from bot.nlp.vocabulary import age_from_text, default_vocabulary, option_from_text
from bot.nlp.words import is_nonsense


@pytest.mark.parametrize("text", ["kjhgfdsa", "xzqv blorp fnarg", "asdkjfh qwpoeiru"])
def test_keyboard_mash_is_nonsense(text):
    assert is_nonsense(text)


@pytest.mark.parametrize(
    "text", ["purple monkey dishwasher", "hola", "yes pls", "hii", "yesss", "19143", "😭😭😭", ""]
)
def test_real_words_numbers_and_emoji_are_not_nonsense(text):
    assert not is_nonsense(text)


@pytest.mark.parametrize(
    ("label", "text", "code"),
    [
        ("need", "therapist", "counseling"),
        ("need", "a bed tonight", "shelter"),
        ("need", "rehab", "residential_treatment"),
        ("need", "someone to talk to", "counseling"),
        ("payment", "keystone first", "medicaid"),
        ("payment", "no insurance", "sliding_fee"),
        ("need", "counseling", "counseling"),
        ("need", "spaceship", None),
    ],
)
def test_callers_words_become_codes(label, text, code):
    assert default_vocabulary().code(label, text) == code


@pytest.mark.parametrize(
    ("text", "option"),
    [("2", 2), ("2 please", 2), ("the second one", 2), ("#3", 3), ("last", -1), ("19143", None)],
)
def test_options_are_read_from_what_callers_type(text, option):
    assert option_from_text(text) == option


@pytest.mark.parametrize(
    ("text", "age"), [("she's 70", 70), ("15 years old", 15), ("tengo 45 años", 45), ("old", None)]
)
def test_ages_are_read_from_what_callers_type(text, age):
    assert age_from_text(text) == age


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola necesito ayuda", "es"),
        ("i need help", "en"),
        ("bonjour j'ai besoin d'aide", "other"),
        ("😭", None),
    ],
)
def test_the_language_of_a_message_is_guessed(text, language):
    assert guess(text) == language


@pytest.mark.parametrize(
    ("text", "code"), [("therapst", "counseling"), ("psychiatrst", "psychiatry"), ("medicad", "medicaid")]
)
def test_a_letter_left_out_still_finds_the_code(text, code):
    label = "payment" if code == "medicaid" else "need"
    assert default_vocabulary().code(label, text) == code


def test_a_slip_that_is_a_real_word_is_not_taken_over():
    assert default_vocabulary().code("need", "therapy") == "counseling"  # a synonym, not a slip
    assert default_vocabulary().code("need", "the") is None


def test_the_built_vocabulary_is_the_same_in_every_process():
    """A pattern order that changed with Python's hash seed made make test retrain every time."""
    import os
    import subprocess
    import sys

    script = "from bot.nlp.build import fingerprint; from bot.nlp.vocabulary import default_vocabulary; print(fingerprint(default_vocabulary()))"
    prints = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(prints) == 1


def whole_table(language: str) -> dict[str, float]:
    import gzip
    import json
    import os

    import spacy_lookups_data

    path = os.path.join(
        os.path.dirname(spacy_lookups_data.__file__), "data", f"{language}_lexeme_prob.json.gz"
    )
    with gzip.open(path) as handle:
        return json.load(handle)


def test_the_words_kept_answer_every_question_as_the_whole_table_does():
    """Only words down to the rarest threshold are read (the tables are sorted, most common first);
    every word of the whole table, the rarest included, is judged the same against each threshold."""
    from bot.nlp.language import SPANISH_WORD_LOG_PROB, fold, spanish_word_log_probs
    from bot.nlp.words import KNOWN_WORD_LOG_PROB, NONSENSE_LOG_PROB, word_log_probs

    english, kept = whole_table("en"), word_log_probs()
    assert len(kept) < len(english) / 5
    for threshold in (KNOWN_WORD_LOG_PROB, -15.5, NONSENSE_LOG_PROB):  # the ones bot/ compares with
        differ = [
            w
            for w, p in english.items()
            if (p > threshold) != (kept.get(w, -99.0) > threshold)
            or (p < threshold) != (kept.get(w, -99.0) < threshold)
        ]
        assert not differ, (threshold, differ[:5])

    expected: dict[str, float] = {}
    for word, p in whole_table("es").items():
        if p > SPANISH_WORD_LOG_PROB:
            for form in (word.casefold(), fold(word)):
                expected[form] = max(p, expected.get(form, -99.0))
    assert spanish_word_log_probs() == expected
