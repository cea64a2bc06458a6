"""Crosswalks: services indexed with an external taxonomy (AIRS/211) become findable by our codes."""

from __future__ import annotations

import textwrap

import pytest
from fixtures import (
    CROSSWALK_DIR,
    database_state,
    ids,
    load,
    records,
    result_for,
    search,
    service,
    write_json,
    write_text,
)

from bot.directory import Crosswalk
from bot.directory.taxonomy import NEEDS, term_id

AIRS = {"id": "airs", "name": "AIRS", "description": "AIRS/211 LA County Taxonomy", "version": "2024"}
AIRS_TERMS = {
    "RP-1400.8000-020": "Individual Counseling",
    "BD-1800.2000": "Food Pantries",
    "BD-1800.2000-100": "Brown Bag Food Programs",
    "BD-5000.8300": "Soup Kitchens",
    "RX-1700.1700": "Inpatient Substance Use Disorder Detoxification",
    "YF-5000.5000": "Medicaid Recipients",
    "ZZ-9999": "Hovercraft Repair",
}

CROSSWALK = """\
    source:
      taxonomy_names: ["AIRS"]
    mappings:
      - code: "RP-1400*"
        to: {needs: [counseling]}
      - code: "BD-1800.2000"
        to: {needs: [food]}
      - code: "BD-5000.8300"
        to: {needs: [food], access: [walk_in]}
      - name: "medicaid RECIPIENTS"
        to: {payment: [medicaid]}
"""


def airs_term(code: str, taxonomy_field: bool = True) -> dict:
    term = {
        "id": f"airs-{code}",
        "code": code,
        "name": AIRS_TERMS[code],
        "description": AIRS_TERMS[code],
        "taxonomy_id": AIRS["id"],
        "taxonomy_detail": AIRS,
    }
    if taxonomy_field:
        term["taxonomy"] = "AIRS"
    return term


def airs_service(service_id: str, *codes: str, **options) -> dict:
    """A service tagged only with AIRS terms (no Wayfinder codes at all)."""
    record = service(service_id, needs=(), **options)
    record["attributes"] = [
        {
            "id": f"{service_id}-airs-{code}",
            "taxonomy_term_id": f"airs-{code}",
            "taxonomy_term": airs_term(code),
        }
        for code in codes
    ]
    return record


@pytest.fixture
def crosswalk_file(tmp_path):
    return write_text(tmp_path / "airs.yml", textwrap.dedent(CROSSWALK))


def test_crosswalk_tags_services_with_our_need_codes(reused_directory, tmp_path, crosswalk_file):
    directory = reused_directory
    report = load(
        directory,
        tmp_path,
        airs_service("therapy", "RP-1400.8000-020", "YF-5000.5000"),
        airs_service("pantry", "BD-1800.2000"),
        airs_service("kitchen", "BD-5000.8300"),
        crosswalk=crosswalk_file,
    )

    assert report.crosswalked == 5
    assert ids(search(directory, need="counseling")) == ["therapy"]
    assert ids(search(directory, need="mental_health")) == ["therapy"]  # through the parent
    assert sorted(ids(search(directory, need="food"))) == ["kitchen", "pantry"]
    assert ids(search(directory, need="food", walk_in=True)) == ["kitchen"]
    medicaid = search(directory, need="counseling", payment="medicaid")
    assert any(reason.startswith("accepts Medicaid") for reason in result_for(medicaid, "therapy").reasons)


def test_without_the_crosswalk_external_terms_find_nothing(reused_directory, tmp_path):
    load(reused_directory, tmp_path, airs_service("therapy", "RP-1400.8000-020"))

    assert ids(search(reused_directory, need="counseling")) == []


def test_prefix_code_matches_children_but_exact_code_does_not(reused_directory, tmp_path, crosswalk_file):
    directory = reused_directory
    load(
        directory,
        tmp_path,
        airs_service("pantry", "BD-1800.2000"),
        airs_service("brown-bag", "BD-1800.2000-100"),  # a child of an exact (non-*) code
        crosswalk=crosswalk_file,
    )

    assert ids(search(directory, need="food")) == ["pantry"]


def test_crosswalk_tags_point_at_our_taxonomy_terms(reused_directory, tmp_path, crosswalk_file):
    directory = reused_directory
    load(directory, tmp_path, airs_service("therapy", "RP-1400.8000-020"), crosswalk=crosswalk_file)

    attributes = [a for a in records(directory)["attribute"].values() if a["link_id"] == "therapy"]
    ours = [a for a in attributes if a["taxonomy_term_id"] == term_id(NEEDS, "counseling")]
    assert len(ours) == 1
    assert ours[0]["link_entity"] == "service"
    # The HSDS API filters services by our term id too.
    total, contents = directory.page("service", taxonomy_term_id=term_id(NEEDS, "counseling"))
    assert (total, [s["id"] for s in contents]) == (1, ["therapy"])


def test_taxonomy_named_only_through_taxonomy_detail_is_crosswalked(
    reused_directory, tmp_path, crosswalk_file
):
    record = airs_service("therapy", "RP-1400.8000-020")
    record["attributes"][0]["taxonomy_term"] = airs_term("RP-1400.8000-020", taxonomy_field=False)

    load(reused_directory, tmp_path, record, crosswalk=crosswalk_file)

    assert ids(search(reused_directory, need="counseling")) == ["therapy"]


def test_terms_already_in_the_directory_are_crosswalked(reused_directory, tmp_path, crosswalk_file):
    directory = reused_directory
    write_json(tmp_path / "terms.json", [airs_term("RP-1400.8000-020")])
    directory.import_path(tmp_path / "terms.json")
    record = airs_service("therapy")
    record["attributes"] = [{"id": "therapy-airs", "taxonomy_term_id": "airs-RP-1400.8000-020"}]

    load(directory, tmp_path, record, crosswalk=crosswalk_file)

    assert ids(search(directory, need="counseling")) == ["therapy"]


def test_other_taxonomies_are_left_alone(reused_directory, tmp_path, crosswalk_file):
    record = airs_service("therapy", "RP-1400.8000-020")
    term = record["attributes"][0]["taxonomy_term"]
    term.update(
        taxonomy="Open Eligibility",
        taxonomy_id="oe",
        taxonomy_detail={**AIRS, "id": "oe", "name": "Open Eligibility"},
    )

    report = load(reused_directory, tmp_path, record, crosswalk=crosswalk_file)

    assert report.crosswalked == 0
    assert not any("no crosswalk mapping" in warning for warning in report.warnings)
    assert ids(search(reused_directory, need="counseling")) == []


def test_unmapped_terms_are_reported_as_a_warning(reused_directory, tmp_path, crosswalk_file):
    report = load(
        reused_directory,
        tmp_path,
        airs_service("mixed", "RP-1400.8000-020", "ZZ-9999"),
        crosswalk=crosswalk_file,
    )

    warnings = [warning for warning in report.warnings if "no crosswalk mapping" in warning]
    assert len(warnings) == 1
    assert "ZZ-9999" in warnings[0] and "Hovercraft Repair" in warnings[0]
    assert warnings[0].startswith("1 taxonomy term(s)")
    assert ids(search(reused_directory, need="counseling")) == ["mixed"]


def test_reimport_with_crosswalk_adds_no_duplicate_tags(reused_directory, tmp_path, crosswalk_file):
    directory = reused_directory
    load(directory, tmp_path, airs_service("therapy", "RP-1400.8000-020"), crosswalk=crosswalk_file)
    before = len(records(directory)["attribute"])

    load(directory, tmp_path, airs_service("therapy", "RP-1400.8000-020"), crosswalk=crosswalk_file)

    assert len(records(directory)["attribute"]) == before


@pytest.mark.parametrize(
    "mappings, message",
    [
        ('- code: "RP-1400*"\n  to: {needs: [counselling]}', "'counselling' is not a needs code of ours"),
        ('- code: "RP-1400*"\n  to: {payment: [bitcoin]}', "'bitcoin' is not a payment code of ours"),
        ('- code: "RP-1400*"\n  to: {moods: [happy]}', "unknown target 'moods'"),
        ('- code: "RP-1400*"\n  to: {}', "maps to nothing"),
        ("- to: {needs: [counseling]}", "needs a 'code' or a 'name'"),
    ],
    ids=["unknown-need", "unknown-payment", "unknown-facet", "empty-target", "nothing-to-match"],
)
def test_invalid_crosswalk_is_refused_with_a_clear_error(tmp_path, mappings, message):
    path = write_text(tmp_path / "bad.yml", "mappings:\n" + textwrap.indent(mappings, "  ") + "\n")

    with pytest.raises(ValueError) as raised:
        Crosswalk.load(path)

    assert message in str(raised.value)
    assert str(path) in str(raised.value)
    assert "mappings[0]" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    ["mappings: {}", "just words", "mappings: [unclosed"],
    ids=["not-a-list", "no-mappings", "bad-yaml"],
)
def test_crosswalk_that_is_not_a_mapping_list_is_refused(tmp_path, text):
    with pytest.raises(ValueError, match=r"bad\.yml"):
        Crosswalk.load(write_text(tmp_path / "bad.yml", text))


def test_import_with_an_invalid_crosswalk_changes_nothing(reused_directory, tmp_path):
    directory = reused_directory
    load(directory, tmp_path / "existing", service("keep"))
    bad = write_text(
        tmp_path / "bad.yml", 'mappings:\n  - code: "RP*"\n    to: {needs: [therapy_for_cats]}\n'
    )
    before = database_state(directory)

    with pytest.raises(ValueError, match="therapy_for_cats"):
        load(directory, tmp_path / "incoming", airs_service("therapy", "RP-1400.8000-020"), crosswalk=bad)

    assert database_state(directory) == before


CROSSWALK_FILES = sorted(CROSSWALK_DIR.glob("*.yml"))


@pytest.mark.parametrize("path", CROSSWALK_FILES, ids=[path.name for path in CROSSWALK_FILES])
def test_shipped_crosswalks_load_and_only_name_our_codes(path):
    crosswalk = Crosswalk.load(path)

    assert crosswalk.mappings
    assert crosswalk.taxonomy_names


@pytest.mark.skipif(not (CROSSWALK_DIR / "airs_211.yml").exists(), reason="no AIRS/211 crosswalk shipped")
def test_shipped_airs_crosswalk_tags_an_airs_directory(reused_directory, tmp_path):
    directory = reused_directory
    load(
        directory,
        tmp_path,
        airs_service("kitchen", "BD-5000.8300"),
        airs_service("detox", "RX-1700.1700"),
        airs_service("therapy", "RP-1400.8000-020", "YF-5000.5000"),
        crosswalk=CROSSWALK_DIR / "airs_211.yml",
    )

    assert ids(search(directory, need="food", walk_in=True)) == ["kitchen"]
    # Every mapping that matches applies: RX* and RX-1700* both tag the detox program.
    assert ids(search(directory, need="detox")) == ["detox"]
    assert "detox" in ids(search(directory, need="substance_use"))
    assert ids(search(directory, need="counseling", payment="medicaid")) == ["therapy"]
