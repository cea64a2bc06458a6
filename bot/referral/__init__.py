"""The referral conversation's logic, without Rasa: what a caller needs, what to ask, and
what to say about the services found.

The actions in ``actions/`` turn slots into a ``CallerNeeds`` (``actions/needs.py``), call
these functions and send what they return; everything a caller reads about services is
worded here.
"""

from bot.nlp.understanding import language_code
from bot.referral.answers import (
    QUESTIONS,
    TURNING_DOWN,
    Answer,
    is_skip,
    questions_for,
    read_age,
    read_location,
    read_need,
    read_payment,
    refusals,
    services_named,
    services_turned_down,
)
from bot.referral.needs import DEFAULT_RADIUS, SKIP, CallerNeeds, When
from bot.referral.replies import (
    PAGE_SIZE,
    Reply,
    card,
    closed_reply,
    details_reply,
    need_label,
    no_results_reply,
    results_reply,
    when_words,
    where_label,
)

__all__ = [
    "DEFAULT_RADIUS",
    "PAGE_SIZE",
    "QUESTIONS",
    "SKIP",
    "TURNING_DOWN",
    "Answer",
    "CallerNeeds",
    "Reply",
    "When",
    "card",
    "closed_reply",
    "details_reply",
    "is_skip",
    "language_code",
    "need_label",
    "no_results_reply",
    "questions_for",
    "read_age",
    "read_location",
    "read_need",
    "read_payment",
    "refusals",
    "results_reply",
    "services_named",
    "services_turned_down",
    "when_words",
    "where_label",
]
