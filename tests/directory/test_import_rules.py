"""What an import reads for search beyond taxonomy codes: service areas in words or GeoJSON,
payment in the words of ``fees_description``, and several crosswalks at once."""

from __future__ import annotations

import textwrap

import pytest
from fixtures import ids, load, search, service, uid, write_text

from bot.directory.areas import parse_areas, parse_text
from bot.directory.index import payments_from_fees
from bot.directory.places import default_gazetteer


@pytest.mark.parametrize(
    ("text", "counties", "states"),
    [
        ("Philadelphia County, PA", {("PA", "philadelphia county")}, set()),
        ("Camden County, NJ", {("NJ", "camden county")}, set()),
        ("Allegheny County, PA (Pittsburgh area) only", {("PA", "allegheny county")}, set()),
        ("Pennsylvania (statewide)", set(), {"PA"}),
        ("New Jersey and Delaware", set(), {"NJ", "DE"}),
        ("Delaware County, PA", {("PA", "delaware county")}, set()),
        (
            "Philadelphia, Delaware and Montgomery Counties, PA",
            {("PA", "philadelphia county"), ("PA", "delaware county"), ("PA", "montgomery county")},
            set(),
        ),
        ("Serves Cape May County", {("*", "cape may county")}, set()),
        ("Residents of Philadelphia", {("PA", "philadelphia county")}, set()),
        ("NJ", set(), {"NJ"}),
    ],
)
def test_service_areas_in_words(text, counties, states):
    area = parse_text(text, default_gazetteer())

    assert area is not None
    assert area.counties == counties
    assert area.states == states


def test_southeastern_pennsylvania_is_its_five_counties_not_the_state():
    area = parse_text("Southeastern Pennsylvania", default_gazetteer())

    assert area.states == set()
    assert {county for _state, county in area.counties} == {
        "philadelphia county",
        "delaware county",
        "montgomery county",
        "bucks county",
        "chester county",
    }


def test_zip_lists_and_prefixes():
    area = parse_text("19121, 19122 and 19132; also 080xx", None)

    assert area.zips == {"19121", "19122", "19132"}
    assert area.zip_prefixes == {"080"}


@pytest.mark.parametrize(
    "text", ["Statewide", "see description", "Nationwide", "Pennsylvania except Philadelphia", ""]
)
def test_areas_that_cannot_be_read_exclude_nobody(text):
    assert parse_text(text, default_gazetteer()) is None


def test_one_unreadable_area_makes_the_service_open_everywhere():
    records = [{"name": "Philadelphia County, PA", "extent_type": "text"}, {"name": "Statewide"}]

    assert parse_areas(records, default_gazetteer()) is None
    assert parse_areas([], default_gazetteer()) is None


def test_area_membership_of_places():
    gazetteer = default_gazetteer()
    philadelphia = parse_text("Philadelphia County, PA", gazetteer)

    assert philadelphia.contains(gazetteer.resolve("19143"))
    assert philadelphia.contains(gazetteer.resolve("Kensington"))
    assert not philadelphia.contains(gazetteer.resolve("15213"))
    assert not philadelphia.contains(gazetteer.resolve("08102"))
    assert parse_text("Pennsylvania", gazetteer).contains(gazetteer.resolve("15213"))
    assert gazetteer.resolve("15213").county == "Allegheny County"


# --- payment from fees_description ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free.", {"free"}),
        ("Gratis / Free.", {"free"}),
        ("No cost.", {"free"}),
        (
            "Accepts Pennsylvania Medical Assistance (HealthChoices) and Medicare. Private insurance is NOT accepted.",
            {"medicaid", "medicare"},
        ),
        (
            "Accepts most private insurance and Medicare. Does NOT accept Medical Assistance (Medicaid).",
            {"private_insurance", "medicare"},
        ),
        ("In network with most commercial insurance plans. Self-pay: $275.", {"private_insurance"}),
        ("Sliding scale for uninsured clients based on household income.", {"sliding_fee"}),
        (
            "Accepts Medical Assistance. Free for uninsured Philadelphia residents.",
            {"medicaid", "sliding_fee"},
        ),
        ("Free for households with income under 200% of the federal poverty level.", {"sliding_fee"}),
        ("Medicare not accepted.", set()),
        (None, set()),
    ],
)
def test_payment_is_read_from_the_fees_description(text, expected):
    assert payments_from_fees(text) == expected


def test_fees_words_count_only_when_no_payment_code_is_tagged(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service(
            "words",
            fees_description="Accepts Medical Assistance and Medicare. Private insurance NOT accepted.",
        ),
        service("free-words", fees_description="Free."),
        service("coded", payments=["private_insurance"], fees_description="Accepts Medicare."),
    )

    assert set(ids(search(reused_directory, need="counseling", payment="medicaid"))) == {
        "words",
        "free-words",
    }
    assert set(ids(search(reused_directory, need="counseling", payment="private_insurance"))) == {
        "free-words",
        "coded",
    }
    assert set(ids(search(reused_directory, need="counseling", payment="medicare"))) == {
        "words",
        "free-words",
    }


# --- several crosswalks ------------------------------------------------------------------------

LOCAL = {"id": uid("local-taxonomy"), "name": "Local Attributes"}


def local_service(service_id: str, *codes: str, **options) -> dict:
    record = service(service_id, needs=(), **options)
    record["attributes"] = [
        {
            "id": uid(f"{service_id}/local/{code}"),
            "taxonomy_term_id": uid(f"local/{code}"),
            "taxonomy_term": {
                "id": uid(f"local/{code}"),
                "code": code,
                "name": code,
                "description": code,
                "taxonomy": LOCAL["name"],
                "taxonomy_id": LOCAL["id"],
            },
        }
        for code in codes
    ]
    return record


@pytest.fixture
def two_crosswalks(tmp_path):
    needs = write_text(
        tmp_path / "needs.yml",
        textwrap.dedent(
            """
            source: {taxonomy_names: ["Local Attributes"]}
            mappings:
              - code: "SVC-THERAPY"
                to: {needs: [counseling]}
            """
        ),
    )
    payments = write_text(
        tmp_path / "payments.yml",
        textwrap.dedent(
            """
            source: {taxonomy_names: ["Local Attributes"]}
            mappings:
              - code: "PAY-MA-NJ"
                to: {payment: [medicaid]}
            """
        ),
    )
    return [needs, payments]


def test_several_crosswalks_apply_in_one_import(reused_directory, tmp_path, two_crosswalks):
    report = load(
        reused_directory,
        tmp_path,
        local_service("clinic", "SVC-THERAPY", "PAY-MA-NJ"),
        crosswalk=two_crosswalks,
    )

    assert report.crosswalked == 2
    assert ids(search(reused_directory, need="counseling", payment="medicaid")) == ["clinic"]


def test_a_single_crosswalk_path_still_works(reused_directory, tmp_path, two_crosswalks):
    load(reused_directory, tmp_path, local_service("clinic", "SVC-THERAPY"), crosswalk=str(two_crosswalks[0]))

    assert ids(search(reused_directory, need="counseling")) == ["clinic"]


def test_the_cli_takes_several_crosswalks(tmp_path, two_crosswalks):
    from fixtures import write_json
    from test_cli import run

    path = write_json(
        tmp_path / "local.json",
        [local_service("b1a5e0f2-0000-5000-8000-000000000001", "SVC-THERAPY", "PAY-MA-NJ")],
    )
    database = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    imported = run(
        "--database",
        database,
        "import",
        str(path),
        "--crosswalk",
        str(two_crosswalks[0]),
        "--crosswalk",
        str(two_crosswalks[1]),
    )
    assert "crosswalk: 2 taxonomy tags added" in imported.stdout
    found = run(
        "--database", database, "search", "--need", "counseling", "--payment", "medicaid", "--zip", "19143"
    )
    assert "1 fit" in found.stdout
