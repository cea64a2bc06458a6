"""A search query from what the conversation collected (bot.referral.query_from_slots)."""

from __future__ import annotations

from bot.referral import query_from_slots


def test_an_age_the_ruler_read_with_its_cue_is_a_number_not_a_crash():
    # "My son is 15": the entity ruler's span is "is 15"; it reached the search unvalidated.
    assert query_from_slots({"need": "counseling", "location": "19143", "age": "is 15"}, limit=3).age == 15
    assert query_from_slots({"need": "counseling", "location": "19143", "age": "skip"}, limit=3).age is None
    assert query_from_slots({"need": "counseling", "location": "19143", "age": "a lot"}, limit=3).age is None
