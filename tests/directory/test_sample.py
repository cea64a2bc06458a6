"""The sample Philadelphia directory (data/directory/sample/services.json): imports, validates,
round-trips, and every active service is findable by its needs."""

from __future__ import annotations

import json

import pytest
from fixtures import NOW, empty, ids, records, round_trip, search

from bot.directory.conformance import checker
from bot.directory.exporter import json_documents
from bot.directory.hsds import detect_entity
from bot.directory.taxonomy import NEEDS, POPULATION, default_taxonomy


@pytest.fixture(scope="module")
def sample(sample_file):
    return json.loads(sample_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_directory(shared_directory, sample_file):
    """The sample, imported once per database (the tests only read it)."""
    directory = empty(shared_directory)
    directory.import_path(sample_file)
    return directory


def need_codes(record) -> set[str]:
    ours = set(default_taxonomy().codes(NEEDS))
    return {attribute.get("value") for attribute in record.get("attributes", [])} & ours


def test_sample_imports_every_service(sample_directory, sample):
    stored = records(sample_directory)["service"]

    assert len(sample) >= 90
    assert {record["id"] for record in sample} == set(stored)


def test_sample_exports_valid_hsds(sample_directory, hsds_dir):
    check = checker(hsds_dir / "schema")

    for document in json_documents(sample_directory.snapshot()):
        entity = detect_entity(document)
        assert entity is not None
        assert check(entity, document) == [], f"{entity} {document['id']}"


def its_callers(record) -> dict:
    """What a caller the service is for says: a language its staff speak when English is not one
    of them, and the group it is limited to (other services come first for everyone else)."""
    taxonomy = default_taxonomy()
    facts: dict = {}
    languages = [language["code"] for language in record.get("languages", [])]
    if languages and "en" not in languages:
        facts["language"] = languages[0]
    for attribute in record.get("attributes", []):
        code = attribute.get("value")
        term = taxonomy.term(POPULATION, code) if code in taxonomy.codes(POPULATION) else None
        if term is not None and term.restricts and term.ages is None:
            facts["prefer_population"] = code
    return facts


def test_every_active_sample_service_is_found_by_each_of_its_needs(sample_directory, sample):
    for record in sample:
        for code in need_codes(record):
            response = search(
                sample_directory, need=code, zip_code=None, limit=1000, now=NOW, **its_callers(record)
            )
            if record["status"] == "active":
                assert record["id"] in ids(response), f"{record['name']} not found by {code}"
            else:
                assert record["id"] not in ids(response), f"inactive {record['name']} found by {code}"


def test_counseling_near_19143_gives_at_least_three_explained_results(sample_directory):
    response = search(sample_directory, need="counseling", zip_code="19143", now=NOW)

    assert len(response.results) >= 3
    for result in response.results:
        assert result.reasons
        assert result.phone
        assert result.distance_miles is None or result.distance_miles <= 10
    scores = [result.score for result in response.results]
    assert scores == sorted(scores, reverse=True)


def test_sample_round_trips_through_json(directory, sample_file, tmp_path):
    directory.import_path(sample_file)

    original, copied, _report = round_trip(directory, tmp_path / "sample-export.json")

    assert copied == original
