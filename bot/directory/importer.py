"""Reading HSDS 3.0 files into flat records, one list per entity.

Accepted: HSDS JSON (one record, a list, an API page with ``contents``, or the
"tabular JSON" that maps CSV file names to rows) and the tabular data package
(a folder of CSV files, described by ``datapackage.json``). Nothing here writes
to the database: ``Directory.import_path`` stores what this returns in one
transaction, so a broken file changes nothing.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.directory.hsds import BY_CSV, ENTITIES, NUMBER, Child, detect_entity, nested_keys


class HSDSFileError(ValueError):
    """A file that cannot be imported, naming the file, the record and the field."""

    def __init__(self, path: Path | str, message: str, record: str | None = None, field: str | None = None):
        self.path = str(path)
        self.record = record
        self.field = field
        self.message = message
        where = self.path
        if record:
            where += f", record {record}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


@dataclass
class Parsed:
    """Records read from files, merged by id, and what was noticed on the way."""

    records: dict[str, dict[str, dict]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # (child entity, foreign key, parent id) for every child list a nested record spelled out:
    # the import makes that parent's children exactly these.
    child_lists: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, entity: str, record: dict) -> None:
        existing = self.records.setdefault(entity, {}).get(record["id"])
        if existing is None:
            self.records[entity][record["id"]] = record
        else:
            # The same record nested in several places (an organization under each
            # of its services): the later mention fills in, never blanks out.
            existing.update({key: value for key, value in record.items() if value is not None})

    def count(self) -> int:
        return sum(len(records) for records in self.records.values())


def read_path(path: Path | str) -> Parsed:
    """Read an HSDS file or folder. Raises HSDSFileError on anything malformed."""
    path = Path(path)
    parsed = Parsed()
    # A package's datapackage.json may be a link to a descriptor that is not there (read below).
    if not path.exists() and not (path.is_symlink() and path.name == "datapackage.json"):
        raise HSDSFileError(path, "no such file or folder")
    if path.is_dir() or path.name == "datapackage.json":
        _read_package(path if path.is_dir() else path.parent, parsed)
    elif path.suffix.lower() == ".csv":
        _read_csv(path, parsed)
    else:
        _read_json_file(path, parsed)
    return parsed


# --- JSON -----------------------------------------------------------------


def _read_json_file(path: Path, parsed: Parsed) -> None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise HSDSFileError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise HSDSFileError(
            path, f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    parsed.files.append(str(path))
    read_document(document, path, parsed)


def read_document(document: object, path: Path | str, parsed: Parsed) -> None:
    """Read an already-decoded HSDS JSON document (used for files and API bodies)."""
    if isinstance(document, list):
        items = enumerate(document)
        label = "[{}]"
    elif isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = enumerate(document["contents"])
        label = "contents[{}]"
    elif isinstance(document, dict) and document and all(key.endswith(".csv") for key in document):
        _read_tabular_json(document, path, parsed)
        return
    elif isinstance(document, dict) and "id" in document:
        items = iter([(None, document)])
        label = "{}"
    elif isinstance(document, dict) and {"version", "openapi_url"} & set(document):
        parsed.warnings.append(f"{path}: an HSDS profile description, no records in it")
        return
    else:
        raise HSDSFileError(
            path, "not an HSDS record, a list of records, an API page with 'contents', or tabular data"
        )
    for index, item in items:
        where = label.format(index) if index is not None else "(top level)"
        if not isinstance(item, dict):
            raise HSDSFileError(path, "expected an object", record=where)
        entity = detect_entity(item)
        if entity is None:
            raise HSDSFileError(path, "cannot tell which HSDS record type this is", record=where)
        flatten(entity, item, path, where, parsed)


def flatten(
    entity_name: str,
    obj: dict,
    path: Path | str,
    where: str,
    parsed: Parsed,
    parent: tuple[Child, str, str] | None = None,
) -> str:
    """Add a nested HSDS record and everything inside it to ``parsed``; return its id."""
    entity = ENTITIES[entity_name]
    nested = nested_keys(entity)
    record = {key: value for key, value in obj.items() if key not in nested}
    record = _checked(entity_name, record, path, where)
    label = f"{where} (id {record['id']})"
    if parent is not None:
        # Nesting says whose record this is, whatever the nested copy claims.
        child, parent_entity, parent_id = parent
        record[child.key] = parent_id
        if child.kind_key and not record.get(child.kind_key):
            record[child.kind_key] = parent_entity
    for ref in entity.refs:
        value = obj.get(ref.field)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise HSDSFileError(path, "expected an object", record=label, field=ref.field)
        ref_id = flatten(ref.entity, value, path, f"{where}.{ref.field}", parsed)
        record.setdefault(ref.key, ref_id)
    parsed.add(entity_name, record)
    for child in entity.children:
        value = obj.get(child.field)
        if value is None:
            continue
        if not isinstance(value, list):
            raise HSDSFileError(path, "expected a list", record=label, field=child.field)
        parsed.child_lists.add((child.entity, child.key, record["id"]))
        for index, item in enumerate(value):
            item_where = f"{where}.{child.field}[{index}]"
            if not isinstance(item, dict):
                raise HSDSFileError(path, "expected an object", record=item_where)
            flatten(child.entity, item, path, item_where, parsed, parent=(child, entity_name, record["id"]))
    return record["id"]


def _checked(entity_name: str, record: dict, path: Path | str, where: str) -> dict:
    """Types and required fields of one flat record, values normalised."""
    entity = ENTITIES[entity_name]
    record_id = record.get("id")
    if isinstance(record_id, (int, float)) and not isinstance(record_id, bool):
        record_id = str(record_id)
    if not isinstance(record_id, str) or not record_id.strip():
        raise HSDSFileError(path, f"a {entity_name} needs a non-empty 'id'", record=where, field="id")
    label = f"{where} (id {record_id})"
    clean: dict = {}
    for key, value in record.items():
        if value is None:
            continue
        kind = entity.fields.get(key)
        if kind is None:
            clean[key] = value
        elif kind == NUMBER:
            clean[key] = _number(value, path, label, key)
        elif isinstance(value, (dict, list)):
            raise HSDSFileError(path, "expected text, found a nested value", record=label, field=key)
        elif isinstance(value, bool):
            clean[key] = "true" if value else "false"
        else:
            clean[key] = str(value)
    clean["id"] = record_id.strip()
    for name in entity.required:
        if clean.get(name) in (None, ""):
            raise HSDSFileError(
                path, f"required by HSDS for a {entity_name}, but missing", record=label, field=name
            )
    return clean


def _number(value: object, path: Path | str, label: str, key: str) -> float | int:
    if isinstance(value, bool):
        raise HSDSFileError(path, f"expected a number, found {value!r}", record=label, field=key)
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise HSDSFileError(
                path, f"expected a number, found {value!r}", record=label, field=key
            ) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise HSDSFileError(path, f"expected a finite number, found {value!r}", record=label, field=key)
    return number


# --- Tabular data package -------------------------------------------------


def _read_package(folder: Path, parsed: Parsed) -> None:
    descriptor = folder / "datapackage.json"
    files = _package_files(folder, descriptor, parsed)
    if not files:
        raise HSDSFileError(folder, "no HSDS CSV files found (expected e.g. services.csv, organizations.csv)")
    for entity_name, csv_path, types in files:
        _read_csv(csv_path, parsed, entity_name, types)


def _descriptor_document(descriptor: Path, parsed: Parsed) -> Path | None:
    """The file holding a package's descriptor: ``datapackage.json`` itself, or the file it links
    to. Open Referral's examples/csv/datapackage.json is a symbolic link to the specification's
    own descriptor (../../datapackage.json); git without symbolic links checks it out as a
    one-line file holding that path, and a copy of the folder alone leaves it pointing nowhere.
    Either form is followed from the link's folder; a link to nothing gives None and a warning
    (the CSV files are then read by their HSDS names)."""
    if descriptor.is_symlink():
        target, form = Path(os.readlink(descriptor)), "a symbolic link"
    elif descriptor.is_file():
        text = descriptor.read_text(encoding="utf-8", errors="replace").strip()
        if not text or text.startswith("{") or "\n" in text or len(text) >= 256:
            return descriptor
        target, form = Path(text), "a symbolic link checked out as a file holding its path"
    else:
        return None
    document = target if target.is_absolute() else descriptor.parent / target
    if document.is_file():
        return document
    parsed.warnings.append(
        f"{descriptor}: {form}, to {target}, which is missing; reading the CSV files by their HSDS names"
    )
    return None


def _package_files(folder: Path, descriptor: Path, parsed: Parsed) -> list[tuple[str, Path, dict[str, str]]]:
    document = _descriptor_document(descriptor, parsed)
    if document is not None:
        text = document.read_text(encoding="utf-8", errors="replace")
        try:
            package = json.loads(text)
        except json.JSONDecodeError as error:
            raise HSDSFileError(document, f"not valid JSON ({error.msg} at line {error.lineno})") from None
        resources = package.get("resources") if isinstance(package, dict) else None
        if not isinstance(resources, list):
            raise HSDSFileError(document, "a data package needs a 'resources' list")
        files = []
        for index, resource in enumerate(resources):
            resource_path = resource.get("path") if isinstance(resource, dict) else None
            if not isinstance(resource_path, str):
                raise HSDSFileError(document, "a resource needs a 'path'", record=f"resources[{index}]")
            entity = BY_CSV.get(Path(resource_path).name)
            if entity is None:
                parsed.warnings.append(f"{document}: resource {resource_path} is not an HSDS table; skipped")
                continue
            # From the package's folder, also when the descriptor was linked from elsewhere: the
            # specification's descriptor names the tables that each package folder holds.
            csv_path = (folder / resource_path).resolve()
            if not csv_path.is_relative_to(folder.resolve()):
                raise HSDSFileError(
                    document, "resource path leaves the package folder", record=f"resources[{index}]"
                )
            if not csv_path.exists():
                raise HSDSFileError(
                    document, f"resource file {resource_path} is missing", record=f"resources[{index}]"
                )
            fields = (resource.get("schema") or {}).get("fields") or []
            types = {
                f["name"]: f.get("type", "string") for f in fields if isinstance(f, dict) and "name" in f
            }
            files.append((entity.name, csv_path, types))
        return files
    files = [(entity.name, folder / name, {}) for name, entity in BY_CSV.items() if (folder / name).exists()]
    known = {path.name for _, path, _types in files}
    for other in sorted(folder.glob("*.csv")):
        if other.name not in known:
            parsed.warnings.append(f"{other}: not an HSDS table name; skipped")
    return files


def _read_csv(
    path: Path, parsed: Parsed, entity_name: str | None = None, types: dict[str, str] | None = None
) -> None:
    if entity_name is None:
        entity = BY_CSV.get(path.name)
        if entity is None:
            raise HSDSFileError(path, f"not an HSDS table name (expected one of {', '.join(sorted(BY_CSV))})")
        entity_name = entity.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "id" not in reader.fieldnames:
                raise HSDSFileError(path, "the first line must name the columns, including 'id'")
            rows = list(reader)
    except UnicodeDecodeError:
        raise HSDSFileError(path, "not UTF-8 text") from None
    except csv.Error as error:
        raise HSDSFileError(path, f"not valid CSV ({error})") from None
    parsed.files.append(str(path))
    extras = {name: kind for name, kind in (types or {}).items() if name not in ENTITIES[entity_name].fields}
    if extras:
        rows = [_typed_extras(row, extras, path, index + 2) for index, row in enumerate(rows)]
    _add_rows(entity_name, rows, path, parsed, first_line=2)


def _typed_extras(row: dict, extras: dict[str, str], path: Path, line: int) -> dict:
    """Columns outside HSDS back to the types the data package declares for them."""
    typed = dict(row)
    for name, kind in extras.items():
        value = row.get(name)
        if value in (None, "") or kind == "string":
            continue
        try:
            typed[name] = (
                json.loads(value)
                if kind in ("object", "array", "boolean")
                else _number(value, path, f"line {line}", name)
            )
        except json.JSONDecodeError:
            raise HSDSFileError(path, f"expected {kind} JSON", record=f"line {line}", field=name) from None
    return typed


def _read_tabular_json(document: dict, path: Path | str, parsed: Parsed) -> None:
    for name, rows in document.items():
        entity = BY_CSV.get(name)
        if entity is None:
            parsed.warnings.append(f"{path}: {name} is not an HSDS table; skipped")
            continue
        if not isinstance(rows, list):
            raise HSDSFileError(path, "expected a list of rows", record=name)
        _add_rows(entity.name, rows, f"{path}: {name}", parsed, first_line=None)


def _add_rows(
    entity_name: str, rows: Iterable, path: Path | str, parsed: Parsed, first_line: int | None
) -> None:
    for index, row in enumerate(rows):
        where = f"line {index + first_line}" if first_line is not None else f"row {index + 1}"
        if not isinstance(row, dict):
            raise HSDSFileError(path, "expected an object", record=where)
        if None in row:
            raise HSDSFileError(path, "more values than columns", record=where)
        values = {key: (None if value == "" else value) for key, value in row.items()}
        parsed.add(entity_name, _checked(entity_name, values, path, where))
