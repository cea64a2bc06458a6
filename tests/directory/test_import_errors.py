"""A file that cannot be imported is refused whole: HSDSFileError names the file, record and field,
and the database is left exactly as it was."""

from __future__ import annotations

import json

import pytest
from fixtures import database_state, empty, load, service, write_json, write_text

from bot.directory import HSDSFileError
from bot.directory.importer import read_path


def bad_phone_service():
    record = service("bad")
    record["phones"] = [{"id": "bad-phone", "type": "voice"}]  # HSDS requires phones[].number
    return record


def json_file(document):
    return lambda folder: write_json(folder / "services.json", document)


def text_file(name, text):
    return lambda folder: write_text(folder / name, text)


BAD_FILES = [
    pytest.param(
        text_file("services.json", '[{"id": "s1", "name": "A", "status": "active"'),
        ["not valid JSON", "line 1"],
        id="broken-json",
    ),
    pytest.param(text_file("services.json", ""), ["not valid JSON"], id="empty-json-file"),
    pytest.param(text_file("services.json", "  \n"), ["not valid JSON"], id="blank-json-file"),
    pytest.param(
        json_file([service("good"), bad_phone_service()]),
        ["[1].phones[0]", "bad-phone", "'number'", "missing"],
        id="missing-phone-number",
    ),
    pytest.param(
        json_file([service("good"), service("bad", minimum_age="twelve")]),
        ["[1] (id bad)", "'minimum_age'", "'twelve'"],
        id="non-numeric-minimum-age",
    ),
    pytest.param(
        json_file([service("good"), service("bad", minimum_age=True)]),
        ["(id bad)", "'minimum_age'", "number"],
        id="boolean-minimum-age",
    ),
    pytest.param(
        json_file([service("good"), {**service("bad"), "name": ""}]),
        ["[1] (id bad)", "'name'", "required"],
        id="empty-required-name",
    ),
    pytest.param(
        json_file([service("good"), {**service("bad"), "phones": {"id": "p", "number": "1"}}]),
        ["(id bad)", "'phones'", "expected a list"],
        id="nested-object-where-list-expected",
    ),
    pytest.param(
        json_file([service("good"), {**service("bad"), "id": " "}]),
        ["[1]", "'id'"],
        id="blank-id",
    ),
    pytest.param(
        json_file([service("good"), {"id": "mystery", "colour": "blue"}]),
        ["[1]", "cannot tell which HSDS record type"],
        id="unrecognisable-record",
    ),
    pytest.param(json_file({"hello": "world"}), ["not an HSDS record"], id="unknown-top-level-object"),
    pytest.param(json_file("just some text"), ["not an HSDS record"], id="top-level-string"),
    pytest.param(json_file(42), ["not an HSDS record"], id="top-level-number"),
    pytest.param(json_file([service("good"), 7]), ["[1]", "expected an object"], id="list-with-a-number"),
    pytest.param(
        json_file({"services.csv": [{"id": "t1", "name": "T", "status": "active"}], "phones.csv": "oops"}),
        ["phones.csv", "expected a list of rows"],
        id="tabular-json-table-not-a-list",
    ),
    pytest.param(
        json_file({"locations.csv": [{"id": "l1", "location_type": "physical", "latitude": "north"}]}),
        ["locations.csv", "row 1", "'latitude'", "'north'"],
        id="tabular-json-bad-number",
    ),
    pytest.param(
        text_file("services.csv", "id,name,status\ns1,A,active\ns2,B,active,surplus\n"),
        ["services.csv", "line 3", "more values than columns"],
        id="csv-row-with-too-many-values",
    ),
    pytest.param(
        text_file("services.csv", "name,status\nA,active\n"),
        ["services.csv", "'id'"],
        id="csv-without-id-column",
    ),
    pytest.param(text_file("services.csv", ""), ["services.csv", "'id'"], id="empty-csv-file"),
    pytest.param(
        text_file("services.csv", "id,name,status,minimum_age\ns1,A,active,12\ns2,B,active,teen\n"),
        ["services.csv", "line 3", "(id s2)", "'minimum_age'", "'teen'"],
        id="csv-non-numeric-minimum-age",
    ),
    pytest.param(
        text_file("services.csv", "id,name,status\ns1,A,active\ns2,,active\n"),
        ["services.csv", "line 3", "(id s2)", "'name'"],
        id="csv-missing-required-name",
    ),
    pytest.param(
        text_file("agencies.csv", "id,name\na1,A\n"),
        ["agencies.csv", "not an HSDS table name"],
        id="csv-unknown-table",
    ),
]


@pytest.fixture(scope="module")
def populated(shared_directory, tmp_path_factory):
    """A directory that already holds services: a refused file must leave them exactly as they are.

    Shared by the module's tests, since each of them checks that it changed nothing.
    """
    directory = empty(shared_directory)
    load(directory, tmp_path_factory.mktemp("existing"), service("keep-1"), service("keep-2", needs=["food"]))
    return directory


@pytest.mark.parametrize("write, fragments", BAD_FILES)
def test_bad_file_is_refused_naming_file_record_and_field(populated, tmp_path, write, fragments):
    path = write(tmp_path / "incoming")
    before = database_state(populated)

    with pytest.raises(HSDSFileError) as raised:
        populated.import_path(path)

    message = str(raised.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert database_state(populated) == before


def test_error_attributes_name_the_record_and_field(tmp_path):
    path = write_json(tmp_path / "services.json", [service("good"), bad_phone_service()])

    with pytest.raises(HSDSFileError) as raised:
        read_path(path)

    assert raised.value.path == str(path)
    assert raised.value.record == "[1].phones[0] (id bad-phone)"
    assert raised.value.field == "number"


def test_bad_record_after_many_good_ones_changes_nothing(populated, tmp_path):
    good = [service(f"good-{n}", needs=["food"]) for n in range(300)]
    path = write_json(tmp_path / "incoming" / "services.json", [*good, bad_phone_service()])
    before = database_state(populated)

    with pytest.raises(HSDSFileError, match=r"\[300\]\.phones\[0\]"):
        populated.import_path(path)

    assert database_state(populated) == before
    assert "good-0" not in populated.snapshot().records["service"]


def test_bad_csv_in_a_package_folder_changes_nothing(populated, tmp_path):
    folder = tmp_path / "package"
    write_text(folder / "organizations.csv", "id,name,description\no1,Org,Desc\n")
    rows = "".join(f"s{n},Service {n},active\n" for n in range(200))
    write_text(folder / "services.csv", "id,name,status\n" + rows + "s-bad,Broken,active,surplus\n")
    before = database_state(populated)

    with pytest.raises(HSDSFileError) as raised:
        populated.import_path(folder)

    assert str(folder / "services.csv") in str(raised.value)
    assert "line 202" in str(raised.value)
    assert database_state(populated) == before


def test_package_whose_descriptor_names_a_missing_file_is_refused(populated, tmp_path):
    folder = tmp_path / "package"
    write_text(folder / "services.csv", "id,name,status\ns1,A,active\n")
    descriptor = {"resources": [{"path": "services.csv"}, {"path": "phones.csv"}]}
    write_json(folder / "datapackage.json", descriptor)
    before = database_state(populated)

    with pytest.raises(HSDSFileError, match=r"phones\.csv is missing"):
        populated.import_path(folder)

    assert database_state(populated) == before


def test_folder_without_hsds_tables_is_refused(populated, tmp_path):
    folder = tmp_path / "empty-package"
    folder.mkdir()
    with pytest.raises(HSDSFileError, match="no HSDS CSV files"):
        populated.import_path(folder)


def test_missing_path_is_refused(populated, tmp_path):
    with pytest.raises(HSDSFileError, match="no such file"):
        populated.import_path(tmp_path / "nowhere.json")


def test_non_utf8_file_is_refused(populated, tmp_path):
    path = tmp_path / "services.json"
    path.write_bytes(json.dumps([service("latin")]).encode("utf-8").replace(b"Test", b"T\xe9st"))
    before = database_state(populated)

    with pytest.raises(HSDSFileError, match="not UTF-8"):
        populated.import_path(path)

    assert database_state(populated) == before


def test_id_longer_than_the_id_column_is_stored_or_refused_cleanly(populated, tmp_path):
    """Ids are stored in a 255-character column. A longer one may be accepted or refused, but
    refused only as an HSDSFileError naming the field (never as a database driver error)."""
    long_id = "x" * 300
    path = write_json(tmp_path / "incoming" / "services.json", [service("fine"), service(long_id)])
    before = database_state(populated)

    try:
        populated.import_path(path)
    except HSDSFileError as error:
        assert error.field == "id"
        assert database_state(populated) == before
    else:
        assert long_id in populated.snapshot().records["service"]
