"""Open Referral's official HSDS 3.0 examples: every one imports, exports valid HSDS and round-trips."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

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


def linked_descriptor(descriptor: Path) -> Path:
    """Where a datapackage.json that is a link leads: a symbolic link, or the one-line file that
    git writes for one where it cannot make links; followed from the link's folder."""
    target = os.readlink(descriptor) if descriptor.is_symlink() else descriptor.read_text().strip()
    return descriptor.parent / target


def csv_rows(folder: Path) -> dict[str, set[str]]:
    """The ids of each HSDS table's rows in a package folder, by entity."""
    rows = {}
    for csv_path in sorted(folder.glob("*.csv")):
        with csv_path.open(newline="", encoding="utf-8-sig") as handle:
            rows[BY_CSV[csv_path.name].name] = {row["id"] for row in csv.DictReader(handle)}
    return rows


@pytest.mark.parametrize("target", ["folder", "datapackage.json"])
def test_official_csv_package_imports_whatever_form_its_linked_descriptor_has(
    reused_directory, hsds_dir, target
):
    directory = reused_directory
    folder = hsds_dir / "examples" / "csv"
    path = folder if target == "folder" else folder / "datapackage.json"

    report = directory.import_path(path)

    # A symbolic link to the specification's own descriptor (in a clone with links), or the
    # path of one (git without links), or a link to a descriptor this copy does not hold.
    descriptor_warnings = [warning for warning in report.warnings if "datapackage.json" in warning]
    if linked_descriptor(folder / "datapackage.json").is_file():
        assert descriptor_warnings == []
    else:
        assert len(descriptor_warnings) == 1 and "which is missing" in descriptor_warnings[0]
    stored = records(directory)
    expected = csv_rows(folder)
    for entity, ids in expected.items():
        assert ids and ids <= set(stored[entity]), f"{entity}: rows missing"
    assert report.records == sum(len(ids) for ids in expected.values())
    assert report.inserted["service"] >= 1
    assert report.indexed >= 1


LINK_FORMS = ["symbolic link", "one-line file"]


def clone_of_the_examples(hsds_dir: Path, root: Path, form: str, descriptor: dict | None) -> Path:
    """examples/csv as it sits in a clone of Open Referral's repository: its datapackage.json in
    ``form``, pointing at the repository's ../../datapackage.json, which holds ``descriptor``
    (or is missing, as in a copy of the examples alone)."""
    folder = root / "examples" / "csv"
    folder.mkdir(parents=True)
    for csv_path in (hsds_dir / "examples" / "csv").glob("*.csv"):
        shutil.copyfile(csv_path, folder / csv_path.name)
    if form == "symbolic link":
        (folder / "datapackage.json").symlink_to("../../datapackage.json")
    else:
        (folder / "datapackage.json").write_text("../../datapackage.json")  # no newline, as git writes it
    if descriptor is not None:
        write_json(root / "datapackage.json", descriptor)
    return folder


@pytest.mark.parametrize("target", ["folder", "datapackage.json"])
@pytest.mark.parametrize("form", LINK_FORMS)
def test_a_linked_descriptor_is_followed_and_names_tables_in_the_links_folder(
    reused_directory, hsds_dir, tmp_path, form, target
):
    descriptor = {"resources": [{"path": "organizations.csv"}, {"path": "services.csv"}]}
    folder = clone_of_the_examples(hsds_dir, tmp_path / "specification", form, descriptor)

    report = reused_directory.import_path(folder if target == "folder" else folder / "datapackage.json")

    assert report.warnings == []
    # Only the tables the descriptor names, read from the package's folder, not the descriptor's.
    assert report.files == [str((folder / name).resolve()) for name in ("organizations.csv", "services.csv")]
    stored = records(reused_directory)
    expected = csv_rows(folder)
    assert set(stored["organization"]) == expected["organization"]
    assert set(stored["service"]) == expected["service"]
    assert not any(stored.get(entity) for entity in ("program", "location", "phone", "schedule"))


@pytest.mark.parametrize("target", ["folder", "datapackage.json"])
@pytest.mark.parametrize("form", LINK_FORMS)
def test_a_link_to_a_missing_descriptor_reads_every_table_by_its_hsds_name_with_a_warning(
    reused_directory, hsds_dir, tmp_path, form, target
):
    folder = clone_of_the_examples(hsds_dir, tmp_path / "examples-alone", form, None)

    report = reused_directory.import_path(folder if target == "folder" else folder / "datapackage.json")

    [warning] = report.warnings
    assert str(folder / "datapackage.json") in warning
    assert "../../datapackage.json" in warning and "which is missing" in warning
    stored = records(reused_directory)
    expected = csv_rows(folder)
    for entity, ids in expected.items():  # beside the directory's own taxonomy terms
        assert ids and ids <= set(stored[entity]), f"{entity}: rows missing"
    assert report.records == sum(len(ids) for ids in expected.values())


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
