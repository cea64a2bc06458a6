"""Open Referral's official HSDS 3.0 examples: every one imports, exports valid HSDS and round-trips."""

from __future__ import annotations

import csv
import json

import pytest
from fixtures import records, round_trip, service, uid, write_json, write_text

from bot.config import PROJECT_ROOT
from bot.directory.conformance import checker
from bot.directory.exporter import json_documents
from bot.directory.hsds import BY_CSV, ENTITIES, detect_entity

EXAMPLES = PROJECT_ROOT.parent / "shared" / "hsds" / "examples"
JSON_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.json")) if EXAMPLES.is_dir() else []


def top_level_records(document) -> list[tuple[str, dict]]:
    """(entity, record) for each record an HSDS JSON document holds at its top level."""
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]
    if isinstance(document, list):
        return [(detect_entity(item), item) for item in document]
    if all(key.endswith(".csv") for key in document):
        return [(BY_CSV[name].name, row) for name, rows in document.items() for row in rows]
    if "id" in document:
        return [(detect_entity(document), document)]
    return []


def nested_links(entity_name: str, record: dict):
    """(child entity, child id, key, parent id) for every record nested inside ``record``."""
    entity = ENTITIES[entity_name]
    for child in entity.children:
        for item in record.get(child.field) or []:
            yield child.entity, item["id"], child.key, record["id"]
            yield from nested_links(child.entity, item)
    for ref in entity.refs:
        if isinstance(record.get(ref.field), dict):
            yield from nested_links(ref.entity, record[ref.field])


def import_all_examples(directory, hsds_dir):
    for path in sorted((hsds_dir / "examples").glob("*.json")):
        directory.import_path(path)
    directory.import_path(hsds_dir / "examples" / "csv")


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_every_official_json_example_imports(reused_directory, hsds_dir, name):
    directory = reused_directory
    path = hsds_dir / "examples" / name
    document = json.loads(path.read_text(encoding="utf-8"))

    report = directory.import_path(path)

    stored = records(directory)
    expected = top_level_records(document)
    for entity, record in expected:
        assert entity is not None, f"{name}: cannot tell the type of {record.get('id')}"
        assert record["id"] in stored[entity], f"{name}: {entity} {record['id']} was not stored"
        for child, child_id, key, parent_id in nested_links(entity, record):
            assert stored[child][child_id][key] == parent_id, f"{name}: {child} {child_id} lost its {key}"
    if expected:
        assert report.records >= len(expected)
        assert report.files == [str(path)]
    else:
        # base.json describes an HSDS API (its profile); it holds no records, and says so.
        assert report.records == 0
        assert any(name in warning for warning in report.warnings)


@pytest.mark.parametrize("target", ["folder", "datapackage.json"])
def test_official_csv_package_imports_despite_its_broken_symlink_descriptor(
    reused_directory, hsds_dir, target
):
    directory = reused_directory
    folder = hsds_dir / "examples" / "csv"
    path = folder if target == "folder" else folder / "datapackage.json"

    report = directory.import_path(path)

    # The descriptor is a git symlink checked out as a one-line file: a warning, not a failure.
    assert any("datapackage.json" in warning and "symbolic link" in warning for warning in report.warnings)
    stored = records(directory)
    rows = 0
    for csv_path in sorted(folder.glob("*.csv")):
        entity = BY_CSV[csv_path.name].name
        with csv_path.open(newline="", encoding="utf-8-sig") as handle:
            ids = {row["id"] for row in csv.DictReader(handle)}
        assert ids and ids <= set(stored[entity]), f"{csv_path.name}: rows missing"
        rows += len(ids)
    assert report.records == rows
    assert report.inserted["service"] >= 1
    assert report.indexed >= 1


def test_every_exported_document_validates_against_the_hsds_schemas(reused_directory, hsds_dir, tmp_path):
    directory = reused_directory
    import_all_examples(directory, hsds_dir)
    check = checker(hsds_dir / "schema")

    count = directory.export(tmp_path / "export.json")
    documents = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))

    assert count == len(documents) > 0
    assert documents == json_documents(directory.snapshot())
    kinds = set()
    for document in documents:
        entity = detect_entity(document)
        assert entity is not None, f"cannot tell the type of exported document {document.get('id')}"
        kinds.add(entity)
        assert check(entity, document) == [], f"{entity} {document['id']} does not validate"
    assert {"service", "taxonomy_term"} <= kinds


def test_json_examples_round_trip_through_the_json_export(directory, hsds_dir, tmp_path):
    for path in sorted((hsds_dir / "examples").glob("*.json")):
        directory.import_path(path)

    original, copied, _report = round_trip(directory, tmp_path / "export.json")

    missing = {
        entity: sorted(set(original[entity]) - set(copied[entity]))
        for entity in original
        if set(original[entity]) - set(copied[entity])
    }
    assert missing == {}, "records lost by the JSON export"
    assert copied == original


def test_all_examples_round_trip_through_the_tabular_package(directory, hsds_dir, tmp_path):
    import_all_examples(directory, hsds_dir)
    rows = sum(len(table) for table in records(directory).values())

    original, copied, report = round_trip(directory, tmp_path / "package")

    assert (tmp_path / "package" / "datapackage.json").exists()
    assert report.warnings == []
    assert report.records == rows
    assert copied == original


def test_csv_descriptor_written_by_the_export_lists_every_table(reused_directory, hsds_dir, tmp_path):
    directory = reused_directory
    directory.import_path(hsds_dir / "examples" / "csv")
    directory.export(tmp_path / "package")

    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text(encoding="utf-8"))

    assert {resource["path"] for resource in descriptor["resources"]} == set(BY_CSV)
    for resource in descriptor["resources"]:
        assert (tmp_path / "package" / resource["path"]).exists()


@pytest.mark.parametrize("export_name", ["export.json", "package"], ids=["json", "tabular"])
def test_extension_properties_survive_a_round_trip(reused_directory, tmp_path, export_name):
    """Properties outside HSDS are kept (in each row's ``extra``): an export and re-import keeps their values."""
    record = service(
        uid("extended"),
        x_note="keep me",
        x_rank=3,
        x_tags=["evening", "spanish"],
        x_contact={"intake": "ext. 12"},
    )
    reused_directory.import_path(write_json(tmp_path / "extended.json", [record]))

    original, copied, _report = round_trip(reused_directory, tmp_path / export_name)

    stored = copied["service"][uid("extended")]
    assert {key: stored.get(key) for key in ("x_note", "x_rank", "x_tags", "x_contact")} == {
        "x_note": "keep me",
        "x_rank": 3,
        "x_tags": ["evening", "spanish"],
        "x_contact": {"intake": "ext. 12"},
    }
    assert copied == original


# --- the other shapes an HSDS file comes in ------------------------------------------------


def test_single_record_and_api_page_import(reused_directory, tmp_path):
    directory = reused_directory
    single = write_json(tmp_path / "one.json", service("single"))
    page = write_json(
        tmp_path / "page.json",
        {"total_items": 2, "page_number": 1, "contents": [service("paged-1"), service("paged-2")]},
    )

    assert directory.import_path(single).inserted["service"] == 1
    assert directory.import_path(page).inserted["service"] == 2
    assert set(records(directory)["service"]) == {"single", "paged-1", "paged-2"}


def test_single_csv_file_with_byte_order_mark_and_crlf_imports(reused_directory, tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(
        "\ufeffid,name,status,minimum_age\r\ns1,Caf\u00e9 Counseling,active,16\r\n".encode("utf-8")
    )

    report = reused_directory.import_path(path)

    assert report.inserted == {"service": 1}
    assert records(reused_directory)["service"]["s1"] == {
        "id": "s1",
        "name": "Caf\u00e9 Counseling",
        "status": "active",
        "minimum_age": 16,
    }


def test_csv_columns_outside_hsds_are_kept(reused_directory, tmp_path):
    write_text(
        tmp_path / "package" / "services.csv", "id,name,status,x_intake_line\ns1,One,active,215-555-0199\n"
    )

    reused_directory.import_path(tmp_path / "package")

    assert records(reused_directory)["service"]["s1"]["x_intake_line"] == "215-555-0199"


def test_package_skips_csv_files_that_are_not_hsds_tables_with_a_warning(reused_directory, tmp_path):
    write_text(tmp_path / "package" / "services.csv", "id,name,status\ns1,One,active\n")
    write_text(tmp_path / "package" / "notes.csv", "id,text\nn1,hello\n")

    report = reused_directory.import_path(tmp_path / "package")

    assert report.inserted == {"service": 1}
    assert any("notes.csv" in warning and "skipped" in warning for warning in report.warnings)
