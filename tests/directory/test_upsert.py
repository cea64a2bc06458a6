"""Importing is an upsert by id: the same file twice changes nothing, a changed record is updated in place."""

from __future__ import annotations

import pytest
from fixtures import database_state, ids, load, records, result_for, search, service, write_json, write_text

from bot.directory.taxonomy import NEEDS, default_taxonomy, term_id


def counts(directory) -> dict[str, int]:
    return {entity: len(table) for entity, table in records(directory).items()}


def test_importing_the_same_file_twice_adds_nothing(reused_directory, tmp_path):
    directory = reused_directory
    path = write_json(tmp_path / "services.json", [service("a"), service("b", needs=["food"])])

    first = directory.import_path(path)
    after_first = counts(directory)
    state = records(directory)
    second = directory.import_path(path)

    assert first.inserted["service"] == 2 and first.updated["service"] == 0
    assert second.inserted == {entity: 0 for entity in first.inserted}
    assert second.updated == first.inserted
    assert counts(directory) == after_first
    assert records(directory) == state


def test_importing_the_same_package_twice_adds_nothing(reused_directory, tmp_path):
    directory = reused_directory
    folder = tmp_path / "package"
    write_text(folder / "organizations.csv", "id,name,description\no1,Org,An organization\n")
    write_text(
        folder / "services.csv", "id,organization_id,name,status\ns1,o1,One,active\ns2,o1,Two,active\n"
    )

    first = directory.import_path(folder)
    before = database_state(directory)
    second = directory.import_path(folder)

    assert first.inserted == {"organization": 1, "service": 2}
    assert second.inserted == {"organization": 0, "service": 0}
    assert second.updated == {"organization": 1, "service": 2}
    assert counts(directory)["service"] == 2
    after = database_state(directory)
    # The search index is rebuilt, so its row ids may change; its contents may not.
    strip = lambda rows: sorted(row[1:] for row in rows)  # noqa: E731
    assert strip(after.pop("wf_search_row")) == strip(before.pop("wf_search_row"))
    assert after == before


def test_changed_record_is_updated_in_place(reused_directory, tmp_path):
    directory = reused_directory
    load(directory, tmp_path / "v1", service("a", "Old Name", minimum_age=18), service("b"))
    before = counts(directory)
    assert "a" not in ids(search(directory, need="counseling", age=15))

    report = load(directory, tmp_path / "v2", service("a", "New Name", minimum_age=13), service("b"))

    assert report.inserted["service"] == 0 and report.updated["service"] == 2
    assert counts(directory) == before
    stored = records(directory)["service"]["a"]
    assert stored["name"] == "New Name"
    assert stored["minimum_age"] == 13
    # The search index follows the update: a 15-year-old was too young for "a" before.
    response = search(directory, need="counseling", age=15)
    assert result_for(response, "a").name == "New Name"


def test_field_left_out_on_reimport_is_cleared(reused_directory, tmp_path):
    directory = reused_directory
    load(directory, tmp_path / "v1", service("a", alternate_name="Old alias", url="https://a.example.org"))

    load(directory, tmp_path / "v2", service("a", url="https://a.example.org"))

    stored = records(directory)["service"]["a"]
    assert "alternate_name" not in stored
    assert stored["url"] == "https://a.example.org"


def test_service_that_becomes_inactive_leaves_search(reused_directory, tmp_path):
    directory = reused_directory
    load(directory, tmp_path / "v1", service("a"), service("b"))
    assert sorted(ids(search(directory, need="counseling"))) == ["a", "b"]

    load(directory, tmp_path / "v2", service("a", status="inactive"))

    assert ids(search(directory, need="counseling")) == ["b"]


def test_shared_organization_is_stored_once(reused_directory, tmp_path):
    directory = reused_directory
    one, two = service("a"), service("b")
    two["organization"] = dict(one["organization"])

    report = load(directory, tmp_path, one, two)

    assert report.inserted["organization"] == 1
    assert report.inserted["service"] == 2
    stored = records(directory)
    assert {s["organization_id"] for s in stored["service"].values()} == {one["organization"]["id"]}


def test_reimported_service_without_a_tag_stops_matching_it(reused_directory, tmp_path):
    """A directory re-sends a service that no longer takes Medicaid: searches for Medicaid must
    stop returning it (the nested document is the whole truth about the service)."""
    directory = reused_directory
    load(directory, tmp_path / "v1", service("a", payments=["medicaid", "medicare"]))
    assert ids(search(directory, need="counseling", payment="medicaid")) == ["a"]

    load(directory, tmp_path / "v2", service("a", payments=["medicare"]))

    assert ids(search(directory, need="counseling", payment="medicare")) == ["a"]
    assert ids(search(directory, need="counseling", payment="medicaid")) == []


@pytest.mark.parametrize("order", ["csv-then-json", "json-then-csv"])
def test_same_service_from_csv_and_json_is_one_record(reused_directory, tmp_path, order):
    directory = reused_directory
    csv_folder = tmp_path / "package"
    write_text(csv_folder / "services.csv", "id,name,status,minimum_age\ns1,From CSV,active,16\n")
    json_file = write_json(
        tmp_path / "services.json", [{"id": "s1", "name": "From JSON", "status": "active"}]
    )
    paths = [csv_folder, json_file] if order == "csv-then-json" else [json_file, csv_folder]

    for path in paths:
        directory.import_path(path)

    stored = records(directory)["service"]
    assert list(stored) == ["s1"]
    assert stored["s1"]["name"] == ("From JSON" if order == "csv-then-json" else "From CSV")


def test_a_files_copy_of_our_taxonomy_term_does_not_rename_it(reused_directory, tmp_path):
    """taxonomy.yml is the authority on our terms: a directory that nests its own copy of one
    (under another name) must not rename it, or names would flip with every import."""
    directory = reused_directory
    record = service("a", needs=["counseling"])
    record["attributes"][0]["taxonomy_term"] = {
        "id": term_id(NEEDS, "counseling"),
        "code": "counseling",
        "name": "Therapy stuff",
        "description": "Therapy stuff",
        "taxonomy": NEEDS,
    }
    ours = default_taxonomy().term(NEEDS, "counseling").name

    load(directory, tmp_path / "first", record)
    after_file = records(directory)["taxonomy_term"][term_id(NEEDS, "counseling")]["name"]
    load(directory, tmp_path / "second", service("b", needs=["food"]))
    after_next_file = records(directory)["taxonomy_term"][term_id(NEEDS, "counseling")]["name"]

    assert (after_file, after_next_file) == (ours, ours)
