"""Open Referral's official HSDS 3.0 examples: every one imports, exports valid HSDS and round-trips."""

from __future__ import annotations

import json

import pytest

from bot.config import PROJECT_ROOT
from bot.directory.conformance import checker
from bot.directory.exporter import json_documents
from bot.directory.hsds import BY_CSV, ENTITIES, detect_entity

from fixtures import records

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
        for child, child_id, key, parent_id in nested_links(entity, record) if entity in ENTITIES else ():
            assert stored[child][child_id][key] == parent_id, f"{name}: {child} {child_id} lost its {key}"
    if expected:
        assert report.records >= len(expected)
        assert report.files == [str(path)]
    else:
        # base.json describes an HSDS API (its profile); it holds no records, and says so.
        assert report.records == 0
        assert any(name in warning for warning in report.warnings)


@pytest.mark.parametrize("target", ["folder", "datapackage.json"])
def test_official_csv_package_imports_despite_its_broken_symlink_descriptor(reused_directory, hsds_dir, target):
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
        lines = [line for line in csv_path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
        ids = {line.split(",")[0].strip('"') for line in lines}
        assert ids <= set(stored[entity]), f"{csv_path.name}: rows missing"
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


def test_json_examples_round_trip_through_the_json_export(directory, make_directory, hsds_dir, tmp_path):
    for path in sorted((hsds_dir / "examples").glob("*.json")):
        directory.import_path(path)
    directory.export(tmp_path / "export.json")

    copy = make_directory("json_copy")
    copy.import_path(tmp_path / "export.json")

    original, copied = records(directory), records(copy)
    missing = {
        entity: sorted(set(original[entity]) - set(copied[entity]))
        for entity in original
        if set(original[entity]) - set(copied[entity])
    }
    assert missing == {}, "records lost by the JSON export"
    assert copied == original


def test_all_examples_round_trip_through_the_tabular_package(directory, make_directory, hsds_dir, tmp_path):
    import_all_examples(directory, hsds_dir)
    rows = directory.export(tmp_path / "package")

    copy = make_directory("package_copy")
    report = copy.import_path(tmp_path / "package")

    assert (tmp_path / "package" / "datapackage.json").exists()
    assert report.warnings == []
    assert rows == sum(len(table) for table in records(directory).values())
    assert records(copy) == records(directory)


def test_csv_descriptor_written_by_the_export_lists_every_table(reused_directory, hsds_dir, tmp_path):
    directory = reused_directory
    directory.import_path(hsds_dir / "examples" / "csv")
    directory.export(tmp_path / "package")

    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text(encoding="utf-8"))

    assert {resource["path"] for resource in descriptor["resources"]} == set(BY_CSV)
    for resource in descriptor["resources"]:
        assert (tmp_path / "package" / resource["path"]).exists()
