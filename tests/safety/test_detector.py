"""The rule layer on its own: what it recognises, what it leaves alone, and why."""

from __future__ import annotations

import pytest

from bot.safety.detector import assess, normalise


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i keep thinking about killing myself", "suicidal"),
        ("i've got the pills saved up", "plan_or_means"),
        ("i cut my arms again", "self_harm"),
        ("he overdosed and isn't breathing", "overdose"),
        ("i'm going to hurt my brother", "harm_to_others"),
        ("my boyfriend punched me and won't let me leave", "danger_at_home"),
        ("the voices keep telling me to hurt people", "psychosis"),
        ("me quiero morir", "suicidal"),
        ("kms", "suicidal"),
    ],
)
def test_each_kind_of_risk_is_recognised_and_named(text, category):
    assert category in assess(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "i wnt to kil myslef",
        "su!c!dal again",
        "i wanna d13",
        "tryna end it 2nite",
        "imma k*ll myself",
        "I FEEL SUCIDAL",
    ],
)
def test_typos_text_speak_and_censoring_are_read_through(text):
    assert assess(text).is_crisis


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("this wait is killing me", None),
        ("i'm dying to know if they take medicaid", None),
        ("my mom is gonna kill me if i forget her birthday", "idioms"),
        ("suicide prevention training for my staff", "information_request"),
        ("i attempted suicide years ago and i'm stable now, need a therapist", "past_history"),
        ("where can i get narcan", None),
        ("i'm not suicidal, just need a counselor", "denials"),
        ("me muero de hambre", None),
    ],
)
def test_hard_negatives_pass_through_with_the_reason(text, reason):
    found = assess(text)
    assert not found.is_crisis
    if reason:
        assert reason in {why for why, _match in found.suppressed}


def test_risk_beside_an_idiom_or_a_denial_still_counts():
    assert assess("this wait is killing me and honestly i want to die").is_crisis
    assert assess("i'm not suicidal but i have been cutting again").is_crisis
    assert assess("i attempted years ago and tonight i want to kill myself again").is_crisis


def test_someone_else_at_risk_is_third_party_and_the_caller_is_not():
    assert assess("my daughter says she wants to die").third_party
    assert not assess("i want to die").third_party


def test_language_and_veteran_are_noticed():
    assert assess("mi hijo dice que se quiere matar").language == "es"
    assert assess("i'm a veteran and i want to end my life").veteran


def test_normalising_restores_contractions_and_reads_leetspeak_but_not_numbers():
    assert normalise("im gonna end it tn") == "i'm going to end it tonight"
    assert normalise("su1c1de 19143") == "suicide 19143"
