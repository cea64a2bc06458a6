"""Search rules of issue 11: one scoring policy, relaxations with their change, free fits every
payment, service areas, unknown limits, levels of care, exclusions, days and times, honest
"nothing open now", and every result that fits.

Searches run at ``NOW`` (a Wednesday, 2 pm in Philadelphia) from ZIP 19143 unless a test says
otherwise.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from fixtures import ALWAYS, NOW, WEEKDAYS_9_TO_5, ids, load, near, result_for, search, service, uid, weekly

from bot.directory import Directory, SearchQuery
from bot.directory.search import DEFAULT_POLICY, ScoringPolicy, Searcher

SATURDAY_NIGHT = NOW + timedelta(days=3, hours=8)  # Saturday 10 pm
WEEKENDS = weekly("SA,SU", "10:00", "16:00")
EVENINGS = weekly("TU,TH", "12:00", "20:00")
MORNINGS = weekly("MO,TU,WE,TH,FR", "07:00", "11:00")


def area(service_id: str, text: str, n: int = 0, extent_type: str = "text") -> dict:
    return {"id": uid(f"{service_id}/area/{n}"), "name": text, "extent": text, "extent_type": extent_type}


def in_area(service_id: str, *texts: str, **options) -> dict:
    return service(service_id, service_areas=[area(service_id, t, n) for n, t in enumerate(texts)], **options)


# --- one scoring policy --------------------------------------------------------------------------


def test_a_result_score_is_the_sum_of_the_policy_weights(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("line", at=None, hours=[ALWAYS]))

    [result] = search(reused_directory, need="counseling").results

    p = DEFAULT_POLICY
    # by phone, exact need, no languages listed, verified a month ago, open now
    assert result.score == p.remote + p.specificity + p.language_unlisted + p.verified + p.open_now


def test_every_weight_comes_from_the_policy_on_both_paths(tmp_path):
    """A policy that cares only about being open reorders the ranking; the weights live nowhere else."""
    directory = Directory(f"sqlite:///{tmp_path / 'policy.sqlite3'}")
    try:
        load(
            directory,
            tmp_path,
            *[
                service(f"near-{n}", at=near(0.1 * n), hours=[weekly("MO", "09:00", "10:00")])
                for n in range(8)
            ],
            service("far-open", at=near(9.0), hours=[ALWAYS]),
        )
        assert ids(search(directory, need="counseling", limit=3))[0] == "near-0"

        zero = {f.name: 0.0 for f in dataclasses.fields(ScoringPolicy) if f.type in ("float", float)}
        policy = ScoringPolicy(**{**zero, "open_now": 50.0})
        directory.searcher = Searcher(directory.taxonomy, directory.gazetteer, policy)
        response = search(directory, need="counseling", limit=3)
        assert ids(response)[0] == "far-open"
        assert response.results[0].score == 50.0
        assert [r.score for r in response.results[1:]] == [0.0, 0.0]
    finally:
        directory.close()


# --- relaxations carry their change ------------------------------------------------------------


def test_every_relaxation_carries_the_query_change_that_finds_its_matches(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("far", at=near(20.0), payments=["medicaid"], hours=[WEEKDAYS_9_TO_5]),
        service("weekday", payments=["private_insurance"], hours=[WEEKDAYS_9_TO_5]),
    )
    query = SearchQuery(need="counseling", zip_code="19143", payment="medicaid")
    response = reused_directory.search(query, now=NOW)
    assert response.results == []

    constraints = {r.constraint: r for r in response.relaxations}
    assert constraints["radius"].change == {"radius_miles": 30.0}
    assert constraints["payment"].change == {"payment": None}
    for relaxation in response.relaxations:
        assert relaxation.change, relaxation
        assert set(relaxation.change) <= {f.name for f in dataclasses.fields(SearchQuery)}
        relaxed = reused_directory.search(dataclasses.replace(query, **relaxation.change), now=NOW)
        assert relaxed.total == relaxation.matches == len(relaxed.results), relaxation


def test_hours_relaxations_are_offered_with_their_change(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("weekday", hours=[WEEKDAYS_9_TO_5]))

    days = search(reused_directory, need="counseling", days=("SA", "SU"))
    assert [(r.constraint, r.change, r.matches) for r in days.relaxations] == [
        ("day", {"days": (), "open_on": None, "days_any_time": ()}, 1)
    ]
    assert days.relaxations[0].apply(days.query).days == ()
    times = search(reused_directory, need="counseling", open_after="19:00")
    assert [(r.constraint, r.change) for r in times.relaxations] == [
        ("time", {"open_after": None, "open_before": None})
    ]
    today = search(reused_directory, need="counseling", open_today=True, now=SATURDAY_NIGHT)
    assert [(r.constraint, r.change) for r in today.relaxations] == [("today", {"open_today": False})]


# --- free fits every payment -----------------------------------------------------------------


@pytest.mark.parametrize("payment", ["medicaid", "medicare", "private_insurance", "sliding_fee", "free"])
def test_a_free_service_fits_every_payment(reused_directory, tmp_path, payment):
    load(reused_directory, tmp_path, service("free-clinic", payments=["free"]))

    response = search(reused_directory, need="counseling", payment=payment)

    assert ids(response) == ["free-clinic"]
    assert "free" in response.results[0].reasons


def test_a_sliding_fee_fits_the_uninsured_caller_only(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("sliding", payments=["sliding_fee"]))

    assert (
        "sliding fee scale" in result_for(search(reused_directory, payment="sliding_fee"), "sliding").reasons
    )
    assert ids(search(reused_directory, payment="medicaid")) == []


# --- service areas -----------------------------------------------------------------------------


def test_a_service_is_not_offered_outside_its_service_area(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        in_area("philly-teen-line", "Philadelphia County, PA", at=None, hours=[ALWAYS]),
        in_area(
            "pittsburgh-teen-line", "Allegheny County, PA (Pittsburgh area) only", at=None, hours=[ALWAYS]
        ),
        in_area("nj-clinic", "Camden County, NJ", at=near(3.0, 3.0)),
        in_area("pa-line", "Pennsylvania (statewide)", at=None),
        in_area("se-pa-line", "Southeastern Pennsylvania", at=None),
        in_area("unreadable", "Statewide", at=None),
        in_area("zips", "19143, 19104", at=None),
        service("anywhere", at=None),
    )

    philadelphia = set(ids(search(reused_directory, need="counseling", limit=20)))
    assert philadelphia == {"philly-teen-line", "pa-line", "se-pa-line", "unreadable", "zips", "anywhere"}
    pittsburgh = set(ids(search(reused_directory, need="counseling", zip_code="15213", limit=20)))
    assert pittsburgh == {"pittsburgh-teen-line", "pa-line", "unreadable", "anywhere"}
    camden = set(ids(search(reused_directory, need="counseling", zip_code="08102", limit=20)))
    assert camden == {"nj-clinic", "unreadable", "anywhere"}
    # A caller who named a neighbourhood is placed in its county too.
    kensington = set(
        ids(search(reused_directory, need="counseling", zip_code=None, place="Kensington", limit=20))
    )
    assert "philly-teen-line" in kensington and "nj-clinic" not in kensington


def test_a_service_with_several_areas_serves_each_and_geojson_is_read(reused_directory, tmp_path):
    lat, lon = near(0)
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - 0.1, lat - 0.1],
                [lon + 0.1, lat - 0.1],
                [lon + 0.1, lat + 0.1],
                [lon - 0.1, lat + 0.1],
                [lon - 0.1, lat - 0.1],
            ]
        ],
    }
    load(
        reused_directory,
        tmp_path,
        in_area("two-counties", "Delaware County, PA", "Philadelphia County, PA", at=None),
        service(
            "polygon",
            at=None,
            service_areas=[
                {
                    "id": uid("polygon/area"),
                    "name": "West Philly",
                    "extent": json.dumps(square),
                    "extent_type": "geojson",
                }
            ],
        ),
    )

    assert set(ids(search(reused_directory, need="counseling"))) == {"two-counties", "polygon"}
    assert ids(search(reused_directory, need="counseling", zip_code="19134")) == ["two-counties"]


# --- unknown limits rank after, with a caveat --------------------------------------------------


UNKNOWN_PLACE_AREAS = {
    # service: (its area, the caveat when the caller gave no place; None = not a limit then)
    "anywhere": (None, None),
    "national": ("Nationwide", None),
    "pa-statewide": ("Pennsylvania (statewide)", None),
    "whole-region": ("Greater Philadelphia", None),
    "unreadable": ("Statewide", None),
    "philly-only": ("Philadelphia County, PA", "for Philadelphia County residents: check"),
    "philly-by-name": ("City of Philadelphia", "for Philadelphia County residents: check"),
    "allegheny": ("Allegheny County", "for Allegheny County residents: check"),
    "two-counties": (
        "Bucks County, PA; Montgomery County, PA",
        "for Bucks and Montgomery County residents: check",
    ),
    "camden": ("Camden County, NJ", "for Camden County, NJ residents: check"),
    "se-pa": ("Southeastern Pennsylvania", "for Southeastern Pennsylvania residents: check"),
    "nj-statewide": ("New Jersey (statewide)", "for New Jersey residents: check"),
    "zips": ("19121, 19122, 19132", "for residents of ZIP codes 19121, 19122 and 19132: check"),
}


def _unknown_place_lines():
    return [
        in_area(name, text, at=None, hours=[ALWAYS]) if text else service(name, at=None, hours=[ALWAYS])
        for name, (text, _caveat) in UNKNOWN_PLACE_AREAS.items()
    ]


def test_with_no_place_a_restricted_service_area_ranks_after_with_a_caveat(reused_directory, tmp_path):
    """A hotline search asks no place: a county- or ZIP-limited line cannot be checked and ranks after
    the lines open to the whole region (national, statewide for the region's state, the region)."""
    load(reused_directory, tmp_path, *_unknown_place_lines())

    response = search(reused_directory, need="counseling", zip_code=None, limit=20)

    open_to_all = {name for name, (_text, caveat) in UNKNOWN_PLACE_AREAS.items() if caveat is None}
    assert response.total == len(UNKNOWN_PLACE_AREAS)
    assert set(ids(response)[: len(open_to_all)]) == open_to_all
    for name, (_text, caveat) in UNKNOWN_PLACE_AREAS.items():
        caveats = result_for(response, name).caveats
        assert caveats == ([caveat] if caveat else []), name


SPANISH_AREA_CAVEATS = {
    "philly-only": "para residentes del condado de Philadelphia: confirme",
    "two-counties": "para residentes de los condados de Bucks y Montgomery: confirme",
    "camden": "para residentes del condado de Camden, NJ: confirme",
    "se-pa": "para residentes del sureste de Pensilvania: confirme",
    "zips": "para residentes de los códigos postales 19121, 19122 y 19132: confirme",
}


def test_a_spanish_speaker_reads_who_a_service_is_for_in_spanish(reused_directory, tmp_path):
    load(reused_directory, tmp_path, *_unknown_place_lines())

    response = search(reused_directory, need="counseling", zip_code=None, limit=20, reply_language="es")

    for name, caveat in SPANISH_AREA_CAVEATS.items():
        assert result_for(response, name).caveats == [caveat], name


def test_the_area_caveat_and_the_score_come_from_one_policy(reused_directory, tmp_path):
    """The array path (scores) and the row path (caveats) agree: each area caveat is one unknown limit."""
    load(reused_directory, tmp_path, *_unknown_place_lines())
    policy = ScoringPolicy(unknown_limit=-7.0)
    directory = reused_directory
    searcher, directory.searcher = (
        directory.searcher,
        Searcher(directory.taxonomy, directory.gazetteer, policy),
    )
    try:
        response = search(directory, need="counseling", zip_code=None, limit=20)
    finally:
        directory.searcher = searcher

    top = result_for(response, "anywhere").score
    for result in response.results:
        assert result.score == top + policy.unknown_limit * len(result.caveats), result.service_id


def test_a_known_place_settles_the_service_area(reused_directory, tmp_path):
    load(reused_directory, tmp_path, *_unknown_place_lines())

    philadelphia = search(reused_directory, need="counseling", limit=20)
    assert set(ids(philadelphia)) == {
        "anywhere", "national", "pa-statewide", "whole-region", "unreadable", "philly-only", "philly-by-name",
        "se-pa",
    }  # fmt: skip
    assert all(result.caveats == [] for result in philadelphia.results)
    assert len({result.score for result in philadelphia.results}) == 1


def test_with_no_place_a_restricted_area_is_one_more_unknown_limit(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        in_area("philly-young-adults", "Philadelphia County, PA", at=None, minimum_age=18, maximum_age=24),
        in_area("philly-only", "Philadelphia County, PA", at=None),
        service("young-adults", at=None, minimum_age=18, maximum_age=24),
        service("everyone", at=None),
    )

    response = search(reused_directory, need="counseling", zip_code=None)

    assert ids(response)[0] == "everyone"
    assert ids(response)[-1] == "philly-young-adults"
    assert result_for(response, "philly-young-adults").caveats[:2] == [
        "for Philadelphia County residents: check",
        "for ages 18-24: check",
    ]
    p = DEFAULT_POLICY
    assert result_for(response, "philly-young-adults").score == result_for(response, "everyone").score + 2 * (
        p.unknown_limit
    )


def test_an_age_limit_the_caller_has_not_settled_ranks_after_with_a_caveat(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("young-adults", at=near(0.1), minimum_age=18, maximum_age=24),
        service("everyone", at=near(5.0)),
    )

    unknown = search(reused_directory, need="counseling")
    assert ids(unknown) == ["everyone", "young-adults"]
    assert "for ages 18-24: check" in result_for(unknown, "young-adults").caveats
    assert result_for(unknown, "everyone").caveats == []

    known = search(reused_directory, need="counseling", age=20)
    assert ids(known) == ["young-adults", "everyone"]
    assert result_for(known, "young-adults").caveats == []
    assert "serves ages 18-24" in result_for(known, "young-adults").reasons
    assert ids(search(reused_directory, need="counseling", age=41)) == ["everyone"]


def test_a_group_only_service_is_left_out_unless_the_caller_is_in_the_group(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("veterans-only", at=near(0.1), populations=["veterans"]),
        service("affirming", at=near(0.2), populations=["lgbtq"]),
        service("everyone", at=near(5.0)),
    )

    response = search(reused_directory, need="counseling")
    assert ids(response) == ["affirming", "everyone"]
    assert result_for(response, "affirming").caveats == []

    veteran = search(reused_directory, need="counseling", prefer_population="veterans")
    assert ids(veteran) == ["veterans-only", "affirming", "everyone"]
    assert "serves veterans and military families" in result_for(veteran, "veterans-only").reasons
    assert result_for(veteran, "veterans-only").caveats == []


def test_a_group_only_service_is_offered_last_with_what_to_check_when_nothing_else_fits(
    reused_directory, tmp_path
):
    load(
        reused_directory,
        tmp_path,
        service("veterans-only", at=near(0.1), populations=["veterans"]),
        service("spanish-only", at=near(0.2), languages=[("es", "Spanish")]),
    )

    response = search(reused_directory, need="counseling")
    assert sorted(ids(response)) == ["spanish-only", "veterans-only"]
    assert "for veterans and military families: check" in result_for(response, "veterans-only").caveats
    assert "staff speak Spanish (English not listed): check" in result_for(response, "spanish-only").caveats


def test_a_known_age_settles_the_age_groups(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("seniors", at=near(0.1), populations=["seniors"]),
        service("youth", at=near(0.2), populations=["youth"]),
        service("everyone", at=near(5.0)),
    )

    # A 67-year-old is not filtered to services for older adults; those for youth rank last.
    response = search(reused_directory, need="counseling", age=67)
    assert ids(response) == ["seniors", "everyone", "youth"]
    assert "for children and youth: check" in result_for(response, "youth").caveats
    assert result_for(response, "seniors").caveats == []


def test_a_service_without_english_is_left_out_for_a_caller_writing_english(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("spanish-only", at=near(0.1), languages=[("es", "Spanish")]),
        service("everyone", at=near(5.0)),
    )

    assert ids(search(reused_directory, need="counseling")) == ["everyone"]
    assert ids(search(reused_directory, need="counseling", language="es")) == ["spanish-only"]
    writing_spanish = search(reused_directory, need="counseling", prefer_language="es")
    assert ids(writing_spanish) == ["spanish-only", "everyone"]


def test_the_language_a_caller_writes_in_ranks_services_that_speak_it_first_and_hides_none(
    reused_directory, tmp_path
):
    load(
        reused_directory,
        tmp_path,
        service("english-near", at=near(0.5), languages=[("en", "English")]),
        service("bilingual-far", at=near(6.0), languages=[("en", "English"), ("es", "Spanish")]),
        service("unlisted", at=near(1.0)),
    )

    response = search(reused_directory, need="counseling", prefer_language="es")
    assert ids(response)[0] == "bilingual-far"
    assert sorted(ids(response)) == ["bilingual-far", "english-near", "unlisted"]
    assert "staff speak Spanish" in result_for(response, "bilingual-far").reasons
    assert not any("Spanish" in reason for reason in result_for(response, "english-near").reasons)
    assert ids(search(reused_directory, need="counseling"))[0] == "english-near"


# --- population: a filter only when asked ------------------------------------------------------


def test_population_filters_only_when_asked_and_a_preference_only_ranks(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("lgbtq", at=near(2.0), populations=["lgbtq"]),
        service("everyone", at=near(0.1)),
    )

    assert ids(search(reused_directory, need="counseling", population="lgbtq")) == ["lgbtq"]
    preferred = search(reused_directory, need="counseling", prefer_population="lgbtq")
    assert ids(preferred) == ["lgbtq", "everyone"]
    assert "serves lgbtq+" in result_for(preferred, "lgbtq").reasons
    assert ids(search(reused_directory, need="counseling")) == ["everyone", "lgbtq"]


# --- level of care -----------------------------------------------------------------------------


def test_an_intensive_programme_is_offered_only_when_asked_for(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("php", at=near(0.1), needs=["mental_health", "intensive_mental_health"]),
        service("therapist", at=near(3.0), needs=["counseling"]),
        service("clinic", at=near(4.0), needs=["mental_health", "counseling", "intensive_mental_health"]),
    )

    assert ids(search(reused_directory, need="counseling")) == ["therapist", "clinic"]
    assert "php" not in ids(search(reused_directory, need="mental_health"))
    assert "php" not in ids(search(reused_directory, need="psychiatry"))
    intensive = search(reused_directory, need="intensive_mental_health")
    assert ids(intensive)[0] == "php"
    assert set(ids(intensive)) == {"php", "clinic"}


def test_a_crisis_centre_is_offered_only_when_the_words_call_for_it(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("crisis-centre", at=near(0.1), needs=["mental_health", "crisis_walk_in"]),
        service("clinic", at=near(3.0), needs=["mental_health", "counseling"]),
    )

    assert ids(search(reused_directory, need="mental_health")) == ["clinic"]
    assert ids(search(reused_directory, need="counseling")) == ["clinic"]
    assert ids(search(reused_directory, need="crisis_walk_in")) == ["crisis-centre"]


def test_a_mobile_crisis_team_is_a_crisis_service_not_routine_care(reused_directory, tmp_path):
    from fixtures import CROSSWALK_DIR

    from bot.directory import Crosswalk

    crosswalk = Crosswalk.load(CROSSWALK_DIR / "airs_211.yml")
    mapped = {code for _taxonomy, code in crosswalk.map_term({"code": "RP-1500.3300"}, "AIRS")}
    assert {"mental_health", "mobile_crisis", "home_visits"} <= mapped
    load(
        reused_directory,
        tmp_path,
        service("mobile-team", at=near(0.1), needs=sorted(mapped & {"mental_health", "mobile_crisis"})),
        service("clinic", at=near(3.0), needs=["mental_health", "counseling"]),
    )

    assert ids(search(reused_directory, need="mental_health")) == ["clinic"]
    assert ids(search(reused_directory, need="mobile_crisis")) == ["mobile-team"]


def test_home_visits_find_staff_who_come_to_the_home_or_care_from_it(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("comes-home", at=near(3.0), needs=["counseling"], access=["home_visits"]),
        service("by-video", at=near(2.0), needs=["counseling"], access=["telehealth"]),
        service("office", at=near(0.1), needs=["counseling"]),
    )

    response = search(reused_directory, need="counseling", home_visits=True)
    assert sorted(ids(response)) == ["by-video", "comes-home"]
    assert "staff come to the home" in result_for(response, "comes-home").reasons
    assert "staff come to the home" not in result_for(response, "by-video").reasons
    assert ids(search(reused_directory, need="counseling"))[0] == "office"


def test_the_airs_partial_hospitalization_code_is_the_intensive_need(reused_directory, tmp_path):
    from bot.directory.taxonomy import default_taxonomy

    assert default_taxonomy().term("wayfinder-needs", "intensive_mental_health").intensive
    from fixtures import CROSSWALK_DIR

    from bot.directory import Crosswalk

    crosswalk = Crosswalk.load(CROSSWALK_DIR / "airs_211.yml")
    term = {"code": "RM-6500.6500", "name": "Psychiatric Partial Hospitalization Programs"}
    mapped = {code for _taxonomy, code in crosswalk.map_term(term, "AIRS")}
    assert mapped == {"mental_health", "intensive_mental_health"}


# --- exclusions --------------------------------------------------------------------------------


def test_excluded_services_and_organizations_are_never_returned(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("a", at=near(0.1)), service("b", at=near(0.2)), service("c"))

    assert ids(search(reused_directory, need="counseling", exclude=("a",))) == ["c", "b"]
    assert ids(search(reused_directory, need="counseling", exclude=("a", uid("b/organization")))) == ["c"]
    with pytest.raises(ValueError):
        search(reused_directory, need="counseling", exclude="a")


# --- days and times ----------------------------------------------------------------------------


def test_days_and_times_the_caller_can_come(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("weekends", hours=[WEEKENDS]),
        service("evenings", hours=[EVENINGS]),
        service("mornings", hours=[MORNINGS]),
        service("no-hours", hours=()),
    )

    weekends = search(reused_directory, need="counseling", days=("SA", "SU"))
    assert ids(weekends) == ["weekends"]
    assert "open Saturdays and Sundays" in weekends.results[0].reasons

    after = search(reused_directory, need="counseling", open_after="18:00")
    assert ids(after) == ["evenings"]
    assert "open until 8 pm on Thursdays" in after.results[0].reasons  # the next such day after Wednesday
    tuesday = search(reused_directory, need="counseling", open_after="18:00", days=("TU",))
    assert "open until 8 pm on Tuesdays" in tuesday.results[0].reasons
    assert ids(search(reused_directory, need="counseling", open_after="18:00", days=("MO",))) == []
    # "after 6 or Saturdays": either will do.
    either = search(reused_directory, need="counseling", open_after="18:00", days_any_time=("SA",))
    assert sorted(ids(either)) == ["evenings", "weekends"]
    assert "open Saturdays" in result_for(either, "weekends").reasons

    before = search(reused_directory, need="counseling", open_before="09:00")
    assert ids(before) == ["mornings"]
    assert "opens at 7 am on Thursdays" in before.results[0].reasons
    weekend_mornings = search(reused_directory, need="counseling", open_before="11:00", days=("SA",))
    assert ids(weekend_mornings) == ["weekends"]


def test_open_today_means_open_at_some_point_in_the_rest_of_today(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("until-five", hours=[WEEKDAYS_9_TO_5]),
        service("mornings", hours=[MORNINGS]),  # closed at 11 am, before NOW (2 pm)
        service("evenings", hours=[EVENINGS]),  # not on Wednesdays
    )

    assert ids(search(reused_directory, need="counseling", open_today=True)) == ["until-five"]
    late = search(reused_directory, need="counseling", open_today=True, open_after="16:00")
    assert "open until 5 pm today" in late.results[0].reasons
    assert ids(search(reused_directory, need="counseling", open_today=True, open_after="17:00")) == []


@pytest.mark.parametrize(
    ("field", "value"), [("days", ("XX",)), ("open_after", "6pm"), ("open_before", "25:00")]
)
def test_bad_days_and_times_are_refused(reused_directory, field, value):
    with pytest.raises(ValueError):
        search(reused_directory, need="counseling", **{field: value})


# --- honest "nothing open now" ----------------------------------------------------------------


def test_nothing_open_now_lists_what_fits_at_other_times_soonest_first(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("monday", at=near(0.1), hours=[weekly("MO", "09:00", "17:00")]),
        service("sunday", at=near(3.0), hours=[weekly("SU", "08:30", "12:00")]),
        service("no-hours", hours=()),
        service("pantry", needs=["food"], hours=[ALWAYS]),
    )

    response = search(reused_directory, need="counseling", open_now=True, now=SATURDAY_NIGHT)

    assert response.results == [] and response.total == 0
    assert response.fits_at_other_times and not response.nothing_fits
    # Hours not listed: it may be open, so it comes last (its caveat says to call ahead).
    assert [r.service_id for r in response.closed_matches] == ["sunday", "monday", "no-hours"]
    assert [r.next_open for r in response.closed_matches] == [
        "opens tomorrow at 8:30 am",
        "opens Monday at 9 am",
        None,
    ]
    assert response.as_dict()["closed_matches"][0]["next_open"] == "opens tomorrow at 8:30 am"


def test_nothing_fits_regardless_of_the_hour(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("monday", hours=[weekly("MO", "09:00", "17:00")]))

    response = search(reused_directory, need="food", open_now=True, now=SATURDAY_NIGHT)

    assert response.closed_matches == []
    assert response.nothing_fits and not response.fits_at_other_times


def test_closed_results_say_when_they_open(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("monday", hours=[weekly("MO", "09:00", "17:00")]))

    [result] = search(reused_directory, need="counseling", now=SATURDAY_NIGHT).results

    assert result.open_now is False
    assert result.next_open == "opens Monday at 9 am"


# --- every result that fits ----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "expected"), [(30, 30), (60, 50)])
def test_a_limit_of_50_returns_every_service_that_fits(reused_directory, tmp_path, count, expected):
    load(reused_directory, tmp_path, *[service(f"s{n:02d}", at=near(0.1 * (n % 9))) for n in range(count)])

    response = search(reused_directory, need="counseling", limit=50)

    assert len(response.results) == expected
    assert len(set(ids(response))) == expected
    assert response.total == count
