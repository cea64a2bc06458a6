"""Writing the directory out as HSDS 3.0: nested JSON, or the tabular data package.

The JSON export is a list of full service records (as ``/services/{id}``
returns them), followed by the organizations, locations, taxonomy terms and
taxonomies that no service reaches, then any other record that nothing nests
(an attribute whose record is not in the directory, say), each on its own, so
that nothing is lost. The tabular package holds every row of every table.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bot.directory.hsds import ENTITIES, ORDER, STRING
from bot.directory.store import Snapshot, nest

STANDALONE = ("organization", "location", "taxonomy_term", "taxonomy")


def _ids_inside(value: object, entity_name: str, seen: dict[str, set[str]]) -> None:
    """Record the id of every nested record, by entity, walking the declaration."""
    if not isinstance(value, dict):
        return
    entity = ENTITIES[entity_name]
    seen.setdefault(entity_name, set()).add(value["id"])
    for ref in entity.refs:
        _ids_inside(value.get(ref.field), ref.entity, seen)
    for child in entity.children:
        for item in value.get(child.field) or []:
            _ids_inside(item, child.entity, seen)


def json_documents(snapshot: Snapshot) -> list[dict]:
    documents = [nest(snapshot, "service", record) for record in snapshot.records.get("service", {}).values()]
    seen: dict[str, set[str]] = {}
    for document in documents:
        _ids_inside(document, "service", seen)
    for entity_name in (*STANDALONE, *(name for name in ORDER if name not in STANDALONE)):
        for record_id, record in snapshot.records.get(entity_name, {}).items():
            if record_id in seen.get(entity_name, set()):
                continue
            # An organization exported on its own leaves out its services: they are above.
            document = nest(snapshot, entity_name, record, path=("service",))
            _ids_inside(document, entity_name, seen)
            documents.append(document)
    return documents


def _json_type(values) -> str:
    """The Table Schema type of a column outside HSDS, so that a re-import restores its values."""
    kinds = {type(value) for value in values if value is not None}
    if kinds and kinds <= {int, float}:
        return "number"
    for kind, name in ((dict, "object"), (list, "array"), (bool, "boolean")):
        if kinds == {kind}:
            return name
    return STRING


def write_json(snapshot: Snapshot, path: Path) -> int:
    documents = json_documents(snapshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(documents, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return len(documents)


def write_package(snapshot: Snapshot, folder: Path) -> int:
    """The tabular data package: datapackage.json and one CSV file per table."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    rows_written = 0
    for entity_name in ORDER:
        entity = ENTITIES[entity_name]
        records = list(snapshot.records.get(entity_name, {}).values())
        extra_columns = sorted({key for record in records for key in record if key not in entity.fields})
        columns = list(entity.fields) + extra_columns
        types = {
            **entity.fields,
            **{key: _json_type(record.get(key) for record in records) for key in extra_columns},
        }
        with (folder / entity.csv).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for record in records:
                writer.writerow(
                    {
                        key: json.dumps(value, ensure_ascii=False)
                        if isinstance(value, (dict, list, bool))
                        else value
                        for key, value in record.items()
                    }
                )
        rows_written += len(records)
        resources.append(
            {
                "name": entity_name,
                "path": entity.csv,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": name, "type": types[name]} for name in columns],
                    "primaryKey": "id",
                },
            }
        )
    descriptor = {
        "name": "wayfinder-directory",
        "title": "Wayfinder service directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    return rows_written
