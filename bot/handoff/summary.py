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
