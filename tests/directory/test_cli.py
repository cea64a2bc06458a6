"""python -m bot.directory, run as a real subprocess against a SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fixtures import database_state, service, uid, write_json, write_text

from bot.config import PROJECT_ROOT
from bot.directory import Directory


def run(*args, check_exit: int | None = 0) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, "-m", "bot.directory", *args],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check_exit is not None:
        assert completed.returncode == check_exit, completed.stderr or completed.stdout
    return completed


@pytest.fixture
def database(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def services_file(tmp_path):
    """Two services with UUID ids (so that they also pass the HSDS JSON Schemas)."""
    return write_json(
        tmp_path / "services.json",
        [
            service(uid("cli-counseling"), "Spruce Counseling", needs=["counseling"], payments=["medicaid"]),
            service(uid("cli-pantry"), "Spruce Pantry", needs=["food"]),
        ],
    )


def imported(database, path):
    """Set-up done through the library, so that each test runs only the command it is about."""
    directory = Directory(database)
    directory.import_path(path)
    directory.close()


def state(database):
    directory = Directory(database)
    try:
        return database_state(directory)
    finally:
        directory.close()


def test_import_prints_a_summary(database, services_file):
    completed = run("--database", database, "import", str(services_file))

    assert "Imported" in completed.stdout and "from 1 file(s)" in completed.stdout
    assert "service: 2 new, 0 updated" in completed.stdout
    assert "search index: 2 service locations" in completed.stdout
    directory = Directory(database)
    assert set(directory.snapshot().records["service"]) == {uid("cli-counseling"), uid("cli-pantry")}
    directory.close()


def test_broken_file_exits_1_naming_it_and_imports_nothing(database, services_file, tmp_path):
    imported(database, services_file)
    before = state(database)
    broken = write_text(tmp_path / "broken.json", '[{"id": "x", "name": "Broken", "status": "active"},')

    completed = run("--database", database, "import", str(broken), check_exit=1)

    assert str(broken) in completed.stderr
    assert completed.stderr.startswith("error:")
    assert completed.stdout == ""
    assert state(database) == before


def test_search_prints_json_results(database, services_file):
    imported(database, services_file)

    completed = run("--database", database, "search", "--need", "counseling", "--zip", "19143", "--json")

    response = json.loads(completed.stdout)
    assert [result["service_id"] for result in response["results"]] == [uid("cli-counseling")]
    assert response["total"] == 1
    assert response["place"]["postal_code"] == "19143"
    assert response["results"][0]["reasons"]


def test_readable_search_without_results_suggests_relaxations_and_records_nothing(database, services_file):
    imported(database, services_file)

    completed = run(
        "--database", database, "search", "--need", "counseling", "--zip", "19143", "--payment", "medicare"
    )

    assert "No services fit all of that." in completed.stdout
    assert "  - any payment type: 1 would fit" in completed.stdout
    # A staff member trying searches is not a caller's unmet need.
    directory = Directory(database)
    assert directory.unmet_needs() == []
    directory.close()


def test_search_with_an_unknown_zip_exits_1_with_a_clear_message(database, services_file):
    imported(database, services_file)

    completed = run("--database", database, "search", "--need", "counseling", "--zip", "00000", check_exit=1)

    assert "00000" in completed.stderr
    assert "does not exist" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_search_with_an_unknown_need_exits_2(database):
    completed = run("--database", database, "search", "--need", "therapy_for_cats", check_exit=2)

    assert "therapy_for_cats" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_validate_does_not_change_the_database(database, services_file, tmp_path, hsds_dir):
    imported(database, services_file)
    before = state(database)
    incoming = write_json(tmp_path / "incoming.json", [service(uid("cli-new"), "Brand New")])

    completed = run(
        "--database", database, "validate", str(incoming), "--schema-dir", str(hsds_dir / "schema")
    )

    assert f"{incoming}:" in completed.stdout and "records would import" in completed.stdout
    assert "schema:" not in completed.stdout
    assert state(database) == before


def test_validate_reports_schema_errors(database, tmp_path, hsds_dir):
    not_uuid = write_json(tmp_path / "services.json", [service("plain-id")])

    completed = run(
        "--database",
        database,
        "validate",
        str(not_uuid),
        "--schema-dir",
        str(hsds_dir / "schema"),
        check_exit=1,
    )

    assert "schema: service plain-id: id: 'plain-id' is not a 'uuid'" in completed.stdout


def test_validate_of_a_broken_file_exits_1(database, tmp_path):
    broken = write_text(tmp_path / "broken.json", "{")

    completed = run("--database", database, "validate", str(broken), check_exit=1)

    assert str(broken) in completed.stderr


def test_export_checks_the_schemas(database, services_file, tmp_path, hsds_dir):
    imported(database, services_file)

    completed = run(
        "--database", database, "export", str(tmp_path / "out.json"), "--schema-dir", str(hsds_dir / "schema")
    )

    documents = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert f"Wrote {len(documents)} documents" in completed.stdout
    assert "schema:" not in completed.stdout


def test_stats_prints_json(database, services_file):
    imported(database, services_file)

    stats = json.loads(run("--database", database, "stats").stdout)

    assert stats["records"]["service"] == 2
    assert stats["active_services"] == 2
    assert stats["services_by_need"] == {"counseling": 1, "food": 1}
    assert stats["unmet_needs_recorded"] == 0
    assert stats["database"].startswith("sqlite:///")


def test_missing_command_is_a_usage_error(database):
    completed = run("--database", database, check_exit=2)

    assert "usage:" in completed.stderr
