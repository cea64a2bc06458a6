"""The one-line summary advocates read in the queue."""

from __future__ import annotations

from bot.directory.taxonomy import default_taxonomy
from bot.handoff.summary import summary_line


def test_the_line_names_the_need_and_leaves_out_skipped_answers():
    line = summary_line(
        {
            "need": "counseling",
            "location": "19143",
            "payment": "medicaid",
            "age": "skip",
            "referrals_given": ["a", "b"],
        },
        default_taxonomy(),
    )
    assert (
        line
        == "counseling and therapy · in 19143 · pays with Medicaid (Medical Assistance) · 2 referrals given"
    )


def test_crisis_someone_else_and_an_unknown_need_code_are_shown_as_they_are():
    line = summary_line(
        {"need": "not-a-code", "relation": "son", "crisis_categories": ["suicidal"]}, default_taxonomy()
    )
    assert line == "not-a-code · for their son · crisis: suicidal"


def test_an_empty_summary_says_so():
    assert summary_line({}, default_taxonomy()) == "nothing collected yet"


def test_the_callers_language_and_an_asked_language_are_named():
    line = summary_line({"need": "counseling", "speaks": "es", "language": "vi"}, default_taxonomy())
    assert line == "counseling and therapy · language Vietnamese · speaks Spanish"


def test_codes_read_as_words_advocates_use():
    """An alert or a queue card never shows a raw code (sliding_fee, plan_or_means)."""
    line = summary_line(
        {"need": "counseling", "payment": "sliding_fee", "crisis_categories": ["plan_or_means"]},
        default_taxonomy(),
    )
    assert "sliding_fee" not in line and "plan_or_means" not in line
    assert "crisis: plan or means" in line
