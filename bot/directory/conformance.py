"""Checking records against the official HSDS 3.0 JSON Schemas.

The schemas are not shipped with Wayfinder (they belong to Open Referral):
point ``HSDS_SCHEMA_DIR`` or ``--schema-dir`` at a copy of the specification's
``schema/`` folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema

from bot.config import PROJECT_ROOT

Checker = Callable[[str, dict], list[str]]


def default_schema_dir() -> Path | None:
    configured = os.environ.get("HSDS_SCHEMA_DIR")
    candidates = [Path(configured)] if configured else [PROJECT_ROOT.parent / "shared" / "hsds" / "schema"]
    return next((path for path in candidates if (path / "service.json").exists()), None)


def checker(schema_dir: Path) -> Checker:
    """A function (entity name, record) -> list of error messages (empty when valid)."""
    schema_dir = Path(schema_dir).resolve()
    store = {}
    for path in schema_dir.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        store[path.as_uri()] = document
        store[path.name] = document
    validators: dict[str, jsonschema.protocols.Validator] = {}

    def check(entity_name: str, record: dict) -> list[str]:
        if entity_name not in validators:
            path = schema_dir / f"{entity_name}.json"
            schema = store[path.as_uri()]
            resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema, store=store)
            cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
            validators[entity_name] = cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)
        return [
            f"{'/'.join(str(part) for part in error.absolute_path) or '(record)'}: {error.message}"
            for error in validators[entity_name].iter_errors(record)
        ]

    return check
