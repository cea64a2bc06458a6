"""What the assistant learned, in the words an advocate reads in the queue."""

from __future__ import annotations

from bot.directory.search import language_name
from bot.directory.taxonomy import PAYMENT, Taxonomy
from bot.referral import SKIP, CallerNeeds, need_label


def conversation_summary(needs: CallerNeeds, referrals_given: list[str]) -> dict:
    """The needs collected so far, leaving out empty answers, and the services already offered."""
    summary = needs.summary()
    if referrals_given:
        summary["referrals_given"] = list(referrals_given)
    return summary


def summary_line(summary: dict, taxonomy: Taxonomy) -> str:
    """The summary in one line for the queue: "counseling and therapy · in 19143 · pays with Medicaid"."""
    parts = []
    if summary.get("need"):
        try:
            parts.append(need_label(taxonomy, summary["need"]))
        except KeyError:
            parts.append(str(summary["need"]))
    for label, key in (
        ("in", "location"),
        ("pays with", "payment"),
        ("age", "age"),
        ("language", "language"),
        ("speaks", "speaks"),
    ):
        value = summary.get(key)
        if key in ("language", "speaks") and value:
            value = language_name(str(value))
        elif key == "payment" and value not in (None, "", SKIP):
            value = _term_name(taxonomy, PAYMENT, str(value))
        if value not in (None, "", SKIP):
            parts.append(f"{label} {value}")
    if summary.get("relation"):
        parts.append(f"for their {summary['relation']}")
    if summary.get("crisis_categories"):
        parts.append("crisis: " + ", ".join(str(c).replace("_", " ") for c in summary["crisis_categories"]))
    if summary.get("referrals_given"):
        parts.append(f"{len(summary['referrals_given'])} referrals given")
    return " · ".join(parts) or "nothing collected yet"


def _term_name(taxonomy: Taxonomy, facet: str, code: str) -> str:
    """A code as advocates read it ("Sliding fee scale", not sliding_fee)."""
    try:
        return taxonomy.term(facet, code).name
    except KeyError:
        return code.replace("_", " ")
