"""Search: hard eligibility filters, ranking, reasons and caveats, relaxations and unmet needs.

Each test loads a few near-duplicate services that differ in one fact, so that
the fact alone decides which ones come back. Searches run at ``NOW`` (a
Wednesday, 2 pm in Philadelphia) from ZIP 19143 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa
from fixtures import (
    ALWAYS,
    NOW,
    WEEKDAYS_9_TO_5,
    ids,
    load,
    near,
    result_for,
    search,
    service,
    uid,
    weekly,
)

from bot.directory import SearchQuery
from bot.directory.store import unmet_need

WEEKENDS = weekly("SA,SU", "10:00", "16:00")
SATURDAY_NOON = NOW + timedelta(days=3, hours=-2)


def only(response) -> str:
    assert len(response.results) == 1, f"expected exactly one result, got {ids(response)}"
    return response.results[0].service_id


# --- needs --------------------------------------------------------------------------------


def test_need_includes_its_children(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("therapy", needs=["counseling"]),
        service("meds", needs=["psychiatry"]),
        service("pantry", needs=["food"]),
    )

    assert sorted(ids(search(reused_directory, need="mental_health"))) == ["meds", "therapy"]
    assert ids(search(reused_directory, need="counseling")) == ["therapy"]
    assert ids(search(reused_directory, need="basic_needs")) == ["pantry"]


def test_exact_category_beats_a_child_match(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("child-match", "Aardvark Counseling", needs=["counseling"]),
        service("exact", "Zebra Mental Health", needs=["mental_health"]),
    )

    response = search(reused_directory, need="mental_health")

    assert ids(response) == ["exact", "child-match"]
    assert "offers mental health care" in response.results[0].reasons
    assert "offers counseling and therapy" in response.results[1].reasons


def test_specialist_ranks_above_a_generalist(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("generalist", "Aardvark", needs=["counseling", "food", "housing", "legal_advocacy"]),
        service("specialist", "Zebra", needs=["counseling"]),
    )

    assert ids(search(reused_directory, need="counseling")) == ["specialist", "generalist"]


def test_unknown_need_is_refused(reused_directory):
    with pytest.raises(KeyError, match="therapy_for_cats"):
        search(reused_directory, need="therapy_for_cats")


# --- hard filters: exactly the services that fit ------------------------------------------


def test_payment_filter(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("medicaid", payments=["medicaid"]),
        service("medicare", payments=["medicare"]),
        service("untagged"),
    )

    response = search(reused_directory, need="counseling", payment="medicaid")

    assert only(response) == "medicaid"
    assert any(reason.startswith("accepts Medicaid") for reason in response.results[0].reasons)


def test_sliding_fee_search_also_finds_free_services(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("sliding", payments=["sliding_fee"]),
        service("free", payments=["free"]),
        service("insurance", payments=["private_insurance"]),
    )

    response = search(reused_directory, need="counseling", payment="sliding_fee")

    assert sorted(ids(response)) == ["free", "sliding"]
    assert "sliding fee scale" in result_for(response, "sliding").reasons
    assert "free" in result_for(response, "free").reasons


def test_free_or_sliding_filter_reads_cost_options(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("no-charge", cost_options=[{"option": "Walk-in visit", "amount": 0, "currency": "USD"}]),
        service(
            "sliding", cost_options=[{"option": "Sliding scale by income", "amount_description": "$5-$60"}]
        ),
        service("charges", cost_options=[{"option": "Per session", "amount": 120, "currency": "USD"}]),
    )

    response = search(reused_directory, need="counseling", free_or_sliding=True)

    assert sorted(ids(response)) == ["no-charge", "sliding"]
    assert "free" in result_for(response, "no-charge").reasons
    assert "sliding fee scale" in result_for(response, "sliding").reasons


@pytest.mark.parametrize(
    "age, expected", [(12, []), (13, ["teens"]), (17, ["teens"]), (18, ["adults"]), (64, ["adults"])]
)
def test_age_filter_is_inclusive(reused_directory, tmp_path, age, expected):
    load(
        reused_directory,
        tmp_path,
        service("teens", minimum_age=13, maximum_age=17),
        service("adults", minimum_age=18),
    )

    assert ids(search(reused_directory, need="counseling", age=age)) == expected


def test_age_reasons(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("teens", minimum_age=13, maximum_age=17),
        service("anyone"),
    )

    response = search(reused_directory, need="counseling", age=15)

    assert sorted(ids(response)) == ["anyone", "teens"]
    assert "serves ages 13-17" in result_for(response, "teens").reasons
    assert not any(reason.startswith("serves ages") for reason in result_for(response, "anyone").reasons)


def test_language_filter(reused_directory, tmp_path):
    spanish_at_location = service("spanish-location", languages=[("en", "English")])
    spanish_at_location["service_at_locations"][0]["location"]["languages"] = [
        {"id": "spanish-location-es", "name": "Spanish"}
    ]
    load(
        reused_directory,
        tmp_path,
        service("spanish", languages=[("en", "English"), ("es", "Spanish")]),
        spanish_at_location,
        service("english", languages=[("en", "English")]),
        service("unlisted"),
    )

    response = search(reused_directory, need="counseling", language="es")

    assert sorted(ids(response)) == ["spanish", "spanish-location"]
    assert "staff speak Spanish" in result_for(response, "spanish").reasons


@pytest.mark.parametrize(
    "code, name, asked",
    [
        ("spa", "Spanish", "es"),
        ("vie", "Vietnamese", "vi"),
        ("es-US", "Spanish", "es"),
        (None, "Spanish", "es"),
    ],
    ids=["iso-639-3-spanish", "iso-639-3-vietnamese", "regional-tag", "name-only"],
)
def test_language_codes_hsds_allows_all_match(reused_directory, tmp_path, code, name, asked):
    """HSDS language.code is "the ISO 639-1 or ISO 639-3 code": both must find the service."""
    load(
        reused_directory,
        tmp_path,
        service("speaks", languages=[(code, name)]),
        service("english", languages=[("en", "English")]),
    )

    assert ids(search(reused_directory, need="counseling", language=asked)) == ["speaks"]


def test_english_is_not_a_filter_but_ranks(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("a-spanish-only", languages=[("es", "Spanish")]),
        service("b-unlisted"),
        service("c-english", languages=[("en", "English")]),
    )

    response = search(reused_directory, need="counseling", language="en")

    assert ids(response) == ["c-english", "b-unlisted", "a-spanish-only"]


def test_population_filter(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("veterans", populations=["veterans"]),
        service("youth", populations=["youth"]),
        service("everyone"),
    )

    response = search(reused_directory, need="counseling", population="veterans")

    assert only(response) == "veterans"
    assert "serves veterans and military families" in response.results[0].reasons


def test_care_for_a_group_is_also_care_of_its_kind_tagged_with_the_group(reused_directory, tmp_path):
    """A 211 export tags LGBTQ+ people as a target population, not our need "LGBTQ+ affirming care"."""
    load(
        reused_directory,
        tmp_path,
        service("tagged-affirming", needs=["lgbtq_affirming_care"]),
        service("queer-youth-group", needs=["peer_support"], populations=["lgbtq"]),
        service("plain-counseling", needs=["counseling"]),
        service("lgbtq-shelter", needs=["shelter"], populations=["lgbtq"]),
    )

    response = search(reused_directory, need="lgbtq_affirming_care")

    assert set(ids(response)) == {"tagged-affirming", "queer-youth-group"}


def test_walk_in_filter(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("walk-in", access=["walk_in"]), service("appointments"))

    response = search(reused_directory, need="counseling", walk_in=True)

    assert only(response) == "walk-in"
    assert "walk-ins welcome" in response.results[0].reasons


def test_telehealth_filter(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("video", access=["telehealth"]),
        service("phone-only", at=None),
        service("in-person"),
    )

    response = search(reused_directory, need="counseling", telehealth=True)

    assert sorted(ids(response)) == ["phone-only", "video"]
    assert "offers telehealth" in result_for(response, "video").reasons


def test_open_now_filter(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("weekdays", hours=[WEEKDAYS_9_TO_5]),
        service("weekends", hours=[WEEKENDS]),
        service("hours-unknown", hours=()),
    )

    assert only(search(reused_directory, need="counseling", open_now=True, now=NOW)) == "weekdays"
    assert only(search(reused_directory, need="counseling", open_now=True, now=SATURDAY_NOON)) == "weekends"
    assert len(search(reused_directory, need="counseling", now=NOW).results) == 3


def test_open_on_day_filter(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("weekdays", hours=[WEEKDAYS_9_TO_5]),
        service("weekends", hours=[WEEKENDS]),
        service("hours-unknown", hours=()),
    )

    response = search(reused_directory, need="counseling", open_on="SA")

    assert only(response) == "weekends"
    assert "open Saturdays" in response.results[0].reasons
    assert only(search(reused_directory, need="counseling", open_on="tu")) == "weekdays"


@pytest.mark.parametrize(
    "query, error",
    [
        (dict(open_on="XX"), "unknown day"),
        (dict(age=130), "age 130"),
        (dict(radius_miles=0), "radius"),
        (dict(radius_miles=501), "radius"),
    ],
)
def test_invalid_queries_are_refused(reused_directory, query, error):
    with pytest.raises(ValueError, match=error):
        search(reused_directory, need="counseling", **query)


@pytest.mark.parametrize("status", ["inactive", "defunct", "temporarily closed"])
def test_inactive_services_are_never_returned(reused_directory, tmp_path, status):
    everything = dict(payments=["medicaid"], access=["walk_in"], hours=[ALWAYS])
    load(
        reused_directory,
        tmp_path,
        service("closed", status=status, **everything),
        service("open", **everything),
    )

    assert ids(search(reused_directory, need="counseling")) == ["open"]
    assert ids(
        search(reused_directory, need="counseling", payment="medicaid", walk_in=True, open_now=True)
    ) == ["open"]
    assert ids(search(reused_directory, zip_code=None)) == ["open"]


# --- distance -----------------------------------------------------------------------------


def test_radius_is_respected(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("three-miles", at=near(3)),
        service("five-and-a-half-miles", at=near(-5.5)),
        service("eight-miles", at=near(0, 8)),
    )

    assert ids(search(reused_directory, need="counseling", radius_miles=5)) == ["three-miles"]
    assert ids(search(reused_directory, need="counseling", radius_miles=6)) == [
        "three-miles",
        "five-and-a-half-miles",
    ]
    assert len(search(reused_directory, need="counseling").results) == 3  # 10 miles by default


def test_a_callers_search_with_fewer_than_three_near_looks_further(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("three-miles", at=near(3)),
        service("thirteen-miles", at=near(0, 13)),
        service("forty-miles", at=near(40)),
    )

    widened = search(reused_directory, need="counseling", look_further=True)
    assert ids(widened) == ["three-miles", "thirteen-miles"]
    assert widened.query.radius_miles == 30
    assert widened.notices == []  # one was near: nothing to explain
    # A staff search keeps the radius it set.
    assert ids(search(reused_directory, need="counseling")) == ["three-miles"]


def test_nothing_near_names_the_nearest_further_away_as_such(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("thirteen-miles", at=near(0, 13)))

    widened = search(reused_directory, need="counseling", look_further=True)
    assert ids(widened) == ["thirteen-miles"]
    assert widened.notices == ["Nothing that fits is within 10 miles; these are the nearest that do."]
    assert widened.relaxations == []
    assert ids(search(reused_directory, need="counseling", look_further=True, radius_miles=30)) == [
        "thirteen-miles"
    ]


def test_nearer_ranks_above_farther(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("a-far", at=near(4)),
        service("b-near", at=near(1)),
        service("c-middle", at=near(0, 2)),
    )

    response = search(reused_directory, need="counseling")

    assert ids(response) == ["b-near", "c-middle", "a-far"]
    assert [result.distance_miles for result in response.results] == pytest.approx([1.0, 2.0, 4.0], abs=0.1)
    assert "1.0 miles away" in response.results[0].reasons


def test_virtual_services_are_included_unless_excluded(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic"), service("hotline", at=None))

    response = search(reused_directory, need="counseling")
    assert sorted(ids(response)) == ["clinic", "hotline"]
    assert result_for(response, "hotline").distance_miles is None
    assert "by phone or online" in result_for(response, "hotline").reasons
    assert ids(search(reused_directory, need="counseling", include_virtual=False)) == ["clinic"]


def test_service_at_two_places_is_one_result_at_the_nearer(reused_directory, tmp_path):
    record = service("two-sites", at=near(6))
    second = service("two-sites", at=near(2))["service_at_locations"][0]
    second["id"] = uid("two-sites/second-place")
    second["location"]["id"] = uid("two-sites/second-location")
    second["location"]["addresses"][0]["id"] = uid("two-sites/second-address")
    record["service_at_locations"].append(second)
    load(reused_directory, tmp_path, record)

    response = search(reused_directory, need="counseling")

    assert ids(response) == ["two-sites"]
    assert response.total == 1
    assert response.results[0].location_id == uid("two-sites/second-location")
    assert response.results[0].distance_miles == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(
    "fields, address",
    [
        (
            {"postal_code": "19143-1234 (rear entrance)"},
            "1 Test Street, Philadelphia, PA 19143-1234 (rear entrance)",
        ),
        (
            {"assured_date": "checked by phone with the front desk, May 2025"},
            "1 Test Street, Philadelphia, PA 19143",
        ),
    ],
    ids=["long-postal-code", "free-text-assured-date"],
)
def test_long_text_values_import_and_are_searchable(reused_directory, tmp_path, fields, address):
    """HSDS limits neither field's length: a long value must not break the import on any database."""
    load(reused_directory, tmp_path, service("long-values", **fields))

    response = search(reused_directory, need="counseling")

    assert ids(response) == ["long-values"]
    assert response.results[0].address == address


# --- reasons, caveats and ranking details -------------------------------------------------


def test_result_carries_reasons_in_the_callers_terms(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("teen-clinic", at=near(1.5), payments=["medicaid"], minimum_age=13, maximum_age=17),
    )

    response = search(reused_directory, need="counseling", payment="medicaid", age=15)

    result = result_for(response, "teen-clinic")
    assert any(reason.startswith("accepts Medicaid") for reason in result.reasons)
    assert "1.5 miles away" in result.reasons
    assert "serves ages 13-17" in result.reasons
    assert "open until 5 pm today" in result.reasons
    assert result.open_now is True
    assert result.phone == "215-555-0100"
    assert result.address == "1 Test Street, Philadelphia, PA 19143"
    assert result.organization == "Organization of teen-clinic"


def test_old_verification_is_a_caveat(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("fresh", assured_date="2025-05-01"),
        service("stale", assured_date="2023-03-15"),
        service("never", assured_date=None),
        service("no-hours", assured_date="2025-05-01", hours=()),
    )

    response = search(reused_directory, need="counseling")

    assert result_for(response, "fresh").caveats == []
    assert "hours not verified since 2023" in result_for(response, "stale").caveats
    assert "hours not verified" in result_for(response, "never").caveats
    assert "hours not listed: call ahead" in result_for(response, "no-hours").caveats


def test_last_modified_counts_as_verification(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("modified", assured_date=None, last_modified="2022-08-01T10:00:00Z"),
    )

    assert "hours not verified since 2022" in search(reused_directory, need="counseling").results[0].caveats


def test_recently_verified_and_open_rank_higher(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("a-stale", assured_date="2022-01-01"),
        service("b-closed-today", hours=[WEEKENDS]),
        service("c-fresh-and-open"),
    )

    assert ids(search(reused_directory, need="counseling")) == [
        "c-fresh-and-open",
        "a-stale",
        "b-closed-today",
    ]


def test_three_results_when_three_fit(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        *[service(f"s{n}", at=near(n)) for n in range(1, 4)],
        service("food", needs=["food"]),
    )

    response = search(reused_directory, need="counseling")

    assert ids(response) == ["s1", "s2", "s3"]
    assert response.total == 3


def test_limit_caps_results_but_not_the_total(reused_directory, tmp_path):
    load(reused_directory, tmp_path, *[service(f"s{n}", at=near(n)) for n in range(1, 8)])

    default = search(reused_directory, need="counseling")
    three = search(reused_directory, need="counseling", limit=3)

    assert (len(default.results), default.total) == (5, 7)
    assert ids(three) == ["s1", "s2", "s3"] and three.total == 7


# --- nothing fits: relaxations and unmet needs --------------------------------------------


def test_no_results_suggest_a_wider_radius(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("far", at=near(15)))

    response = search(reused_directory, need="counseling")

    assert response.results == [] and response.total == 0
    relaxations = {r.constraint: r for r in response.relaxations}
    assert relaxations["radius"].matches == 1
    assert relaxations["radius"].suggestion == "search within 30 miles"


def test_no_results_suggest_dropping_open_now(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service("weekdays", hours=[WEEKDAYS_9_TO_5]),
        service("other", hours=[WEEKDAYS_9_TO_5]),
    )

    response = search(reused_directory, need="counseling", open_now=True, now=SATURDAY_NOON)

    assert response.results == []
    assert [(r.constraint, r.matches) for r in response.relaxations] == [("open now", 2)]


def load_medicaid_far_and_medicare_near(directory, tmp_path) -> None:
    """Medicaid counseling only 20 miles away, counseling nearby only for Medicare."""
    load(
        directory,
        tmp_path,
        service("medicaid-far", payments=["medicaid"], at=near(20)),
        service("medicare-near", payments=["medicare"], at=near(1)),
    )


def test_relaxations_name_each_constraint_that_would_help(reused_directory, tmp_path):
    load_medicaid_far_and_medicare_near(reused_directory, tmp_path)

    response = search(reused_directory, need="counseling", payment="medicaid")

    assert response.results == []
    assert {(r.constraint, r.matches) for r in response.relaxations} == {("radius", 1), ("payment", 1)}


def test_a_spanish_speaker_is_offered_the_relaxations_in_spanish(reused_directory, tmp_path):
    load_medicaid_far_and_medicare_near(reused_directory, tmp_path)

    response = search(reused_directory, need="counseling", payment="medicaid", reply_language="es")

    suggestions = {r.constraint: r.suggestion for r in response.relaxations}
    assert suggestions == {"radius": "buscar a menos de 30 millas", "payment": "cualquier forma de pago"}


def test_age_of_a_baby_is_a_constraint_that_can_be_relaxed(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("school-age", minimum_age=5, maximum_age=12))

    response = search(reused_directory, need="counseling", age=0)

    assert response.results == []
    assert [(r.constraint, r.matches) for r in response.relaxations] == [("age", 1)]


def test_an_unmet_need_is_recorded_by_an_explicit_call_with_what_was_asked(reused_directory, tmp_path):
    directory = reused_directory
    load(directory, tmp_path, service("weekdays", hours=[WEEKDAYS_9_TO_5]))
    query = SearchQuery(need="counseling", zip_code="19143", payment="medicaid", open_now=True)

    response = directory.search(query, now=SATURDAY_NOON)
    assert response.nothing_fits
    assert directory.unmet_needs() == []  # searching records nothing
    directory.record_unmet_need(query, response, SATURDAY_NOON)

    [recorded] = directory.unmet_needs()
    assert recorded["need"] == "counseling"
    assert recorded["postal_code"] == "19143"
    assert recorded["constraints"] == {"need": "counseling", "payment": "medicaid", "open_now": True}


def test_unmet_need_time_is_the_search_time_on_every_database(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic"))
    query = SearchQuery(need="food", zip_code="19143")

    reused_directory.record_unmet_need(query, reused_directory.search(query, now=NOW), NOW)

    [recorded] = reused_directory.unmet_needs()
    when = recorded["recorded_at"]
    # A naive value can only mean UTC (the library's own default is datetime.now(timezone.utc)).
    assert (when if when.tzinfo else when.replace(tzinfo=timezone.utc)) == NOW


def test_unmet_need_table_holds_nothing_about_the_caller(reused_directory):
    columns = {column["name"] for column in sa.inspect(reused_directory.engine).get_columns(unmet_need.name)}

    assert columns == {"id", "recorded_at", "need", "postal_code", "place", "constraints"}
    assert not [
        c
        for c in columns
        if any(word in c for word in ("name", "phone", "email", "address", "user", "sender"))
    ]


def test_search_never_records_even_with_the_old_keyword(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic"))

    search(reused_directory, need="counseling", record_unmet=True)
    search(reused_directory, need="food", record_unmet=True)

    assert reused_directory.unmet_needs() == []


def test_record_unmet_false_records_nothing(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic"))

    response = search(reused_directory, need="food", record_unmet=False)

    assert response.results == []
    assert reused_directory.unmet_needs() == []


def test_response_as_dict_is_plain_data(reused_directory, tmp_path):
    import json

    load(reused_directory, tmp_path, service("clinic"))

    data = search(reused_directory, need="counseling").as_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["total"] == 1
    assert data["results"][0]["service_id"] == "clinic"
    assert data["place"]["postal_code"] == "19143"
    assert data["query"]["need"] == "counseling"


def test_constraints_leave_out_defaults_and_place():
    query = SearchQuery(need="food", zip_code="19143", radius_miles=10.0, open_now=True, limit=3)

    assert query.constraints() == {"need": "food", "open_now": True}
