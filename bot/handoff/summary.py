"""What the assistant learned, in the words an advocate reads in the queue."""

from __future__ import annotations

SUMMARY_SLOTS = (
    "need",
    "pending_needs",
    "location",
    "payment",
    "age",
    "relation",
    "population",
    "language",
    "access",
)


def conversation_summary(slots: dict) -> dict:
    """The needs collected so far, leaving out empty answers and anything not about needs."""
    summary = {name: slots.get(name) for name in SUMMARY_SLOTS if slots.get(name) not in (None, [], "")}
    if slots.get("results"):
        summary["referrals_given"] = list(slots["results"][: int(slots.get("results_shown") or 0)])
    return summary


def one_line(summary: dict) -> str:
    """ "counseling near 19143, medicaid, age 15": the queue's one-line view."""
    parts = []
    if summary.get("need"):
        parts.append(str(summary["need"]).replace("_", " "))
    if summary.get("location") and summary["location"] != "skip":
        parts.append(f"near {summary['location']}")
    if summary.get("payment") and summary["payment"] != "skip":
        parts.append(str(summary["payment"]).replace("_", " "))
    if summary.get("age") and summary["age"] != "skip":
        parts.append(f"age {summary['age']}")
    return ", ".join(parts) or "no needs collected yet"
