"""What a caller needs, as one typed value (bot.referral.CallerNeeds), and its search query."""

from __future__ import annotations

from bot.referral import SKIP, CallerNeeds, When, language_code, when_words


def test_a_zip_and_a_place_become_the_search_location_they_are():
    assert CallerNeeds(location="19143").query().zip_code == "19143"
    named = CallerNeeds(location="Kensington").query()
    assert (named.place, named.zip_code) == ("Kensington", None)


def test_a_population_ranks_services_for_that_group_first_but_hides_none():
    query = CallerNeeds(need="counseling", population="seniors", age=67).query()
    assert query.prefer_population == "seniors"
    assert query.age == 67
    assert getattr(query, "population", None) is None


def test_spanish_speakers_are_a_language_not_a_population():
    query = CallerNeeds(need="counseling", population="spanish_speaking").query()
    assert query.language == "es"
    assert query.prefer_population is None


def test_a_language_named_in_words_becomes_its_code():
    assert language_code("Russian") == "ru"
    assert language_code("mandarin") == "zh"
    assert language_code("es") == "es"
    assert language_code("Klingon spoken here") is None


def test_when_the_caller_can_go_reaches_the_search():
    when = When.from_values(["weekend", "after 18:00"])
    assert when.days == ("SA", "SU")
    assert when.after == "18:00"
    query = CallerNeeds(need="counseling", when=when).query()
    assert (query.days, query.open_after, query.open_now) == (("SA", "SU"), "18:00", False)
    assert When.from_values(["now"]).values() == ["now"]
    assert When.from_values(["open now"]) == When(open_now=True)
    assert When.from_values(["tonight"]) == When(today=True, after="17:00")
    assert When.from_values(["morning", "TU"]).values() == ["TU", "before 12:00"]
    # A clock said beside a part of the day is the narrower, in either order.
    for values in (["morning", "after 08:00", "before 10:00"], ["after 08:00", "before 10:00", "morning"]):
        assert (When.from_values(values).after, When.from_values(values).before) == ("08:00", "10:00")
    assert when_words(when) == "on Saturdays or Sundays after 6 pm"
    assert when_words(When(now=True)) == "right now"


def test_a_time_or_some_days_reach_the_search_as_either():
    when = When.from_values(["after 18:00", "SA any time"])
    assert (when.after, when.days, when.any_time_days) == ("18:00", (), ("SA",))
    assert When.from_values(when.values()) == when
    query = CallerNeeds(need="counseling", when=when).query()
    assert (query.open_after, query.days, query.days_any_time) == ("18:00", (), ("SA",))
    assert when_words(when) == "after 6 pm or on Saturdays"
    assert When.from_values(["weekend any time"]).days == ("SA", "SU")  # no time to be the other choice
    assert CallerNeeds(when=when).relaxed({"days": ()}).when.any_time_days == ()


def test_a_relaxation_changes_only_what_it_names():
    needs = CallerNeeds(need="counseling", location="19143", payment="medicare", when=When(now=True))
    assert needs.relaxed({"open_now": False}).when == When()
    assert needs.relaxed({"open_now": False}).payment == "medicare"
    wider = needs.relaxed({"radius_miles": 30.0})
    assert wider.radius == 30.0
    assert wider.when == When(now=True)
    any_payment = needs.relaxed({"payment": None})
    assert any_payment.payment is None
    assert "payment" in any_payment.skipped


def test_turned_down_services_stay_out_of_every_later_search():
    needs = CallerNeeds(need="counseling").excluding(["a"]).excluding(["b", "a"])
    assert needs.excluded == ("a", "b")
    assert needs.query().exclude == ("a", "b")


def test_the_summary_shows_answers_and_declined_questions_only():
    needs = CallerNeeds(need="counseling", location="19143", age=None, skipped=frozenset({"age"}))
    assert needs.summary() == {"need": "counseling", "location": "19143", "age": SKIP}


def test_now_filters_only_where_help_is_needed_this_moment_or_the_caller_asked_what_is_open():
    right_now = When.from_values(["now"])
    assert CallerNeeds(need="crisis_walk_in", when=right_now).query().open_now
    assert not CallerNeeds(need="counseling", when=right_now).query().open_now
    assert CallerNeeds(need="counseling", when=When.from_values(["open now"])).query().open_now
