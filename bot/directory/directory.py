"""The service directory: what the rest of Wayfinder calls.

directory = Directory()                      # SQLite in var/, or WAYFINDER_DATABASE_URL
directory.import_path("data/directory/sample/services.json")
directory.search(SearchQuery(need="counseling", zip_code="19143", payment="medicaid"))
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from tqdm import tqdm

from bot.config import directory_database_url
from bot.db import as_utc, create_engine
from bot.directory import exporter, index
from bot.directory.hsds import ENTITIES, ORDER
from bot.directory.importer import HSDSFileError, Parsed, read_path
from bot.directory.places import Gazetteer, default_gazetteer
from bot.directory.search import Searcher, SearchQuery, SearchResponse
from bot.directory.store import (
    CROSSWALK_MARK,
    HSDS_TABLES,
    Snapshot,
    create_all,
    load_nested,
    nest,
    remove_stale_children,
    row_to_record,
    search_row,
    unmet_need,
    upsert,
)
from bot.directory.taxonomy import ID_BASE, Crosswalk, Taxonomy, default_taxonomy, term_id

PROGRESS_THRESHOLD = 2000
# One crosswalk or several: a Crosswalk or the path of its YAML, or a list of them.
Crosswalks = Crosswalk | Path | str | Sequence[Crosswalk | Path | str] | None


@dataclass
class ImportReport:
    files: list[str]
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    crosswalked: int = 0
    removed: int = 0
    indexed: int = 0

    @property
    def records(self) -> int:
        return sum(self.inserted.values()) + sum(self.updated.values())

    def summary(self) -> str:
        parts = [
            f"{name}: {self.inserted.get(name, 0)} new, {self.updated.get(name, 0)} updated"
            for name in ORDER
            if self.inserted.get(name) or self.updated.get(name)
        ]
        lines = [f"Imported {self.records} records from {len(self.files)} file(s).", *parts]
        if self.removed:
            lines.append(f"removed: {self.removed} child records no longer listed by their parent")
        if self.crosswalked:
            lines.append(f"crosswalk: {self.crosswalked} taxonomy tags added")
        lines.append(f"search index: {self.indexed} service locations")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


class Directory:
    def __init__(
        self, url: str | None = None, taxonomy: Taxonomy | None = None, gazetteer: Gazetteer | None = None
    ):
        self.url = url or directory_database_url()
        self.engine = create_engine(self.url)
        self.taxonomy = taxonomy or default_taxonomy()
        self.gazetteer = gazetteer or default_gazetteer()
        self.searcher = Searcher(self.taxonomy, self.gazetteer)
        self._names: tuple[int, dict[str, list[str]]] | None = None
        if create_all(self.engine):
            with self.engine.begin() as conn:
                index.rebuild(conn, self.taxonomy)
            self.searcher.forget()

    # --- import -----------------------------------------------------------

    def import_path(
        self, path: Path | str, crosswalk: Crosswalks = None, progress: bool = False
    ) -> ImportReport:
        """Import an HSDS file or folder in one transaction: all of it, or nothing.

        ``crosswalk``: one crosswalk (a Crosswalk or the path of its YAML) or a list of them
        (e.g. the AIRS/211 one and one for the 211's local attributes); each maps its own taxonomy.
        """
        parsed = read_path(path)
        return self.import_parsed(parsed, crosswalk, progress)

    def import_parsed(
        self, parsed: Parsed, crosswalk: Crosswalks = None, progress: bool = False
    ) -> ImportReport:
        crosswalks = self.crosswalks(crosswalk)
        report = ImportReport(files=parsed.files, warnings=list(parsed.warnings))
        with self.engine.begin() as conn:
            for one in crosswalks:
                report.crosswalked += self._apply_crosswalk(conn, parsed, one, report)
            report.removed = remove_stale_children(conn, parsed.child_lists, parsed.records)
            total = parsed.count()
            with tqdm(
                total=total, unit="records", disable=not progress or total < PROGRESS_THRESHOLD, desc="import"
            ) as bar:
                for entity_name in ORDER:
                    records = list(parsed.records.get(entity_name, {}).values())
                    if not records:
                        continue
                    inserted, updated = upsert(conn, entity_name, records)
                    report.inserted[entity_name] = inserted
                    report.updated[entity_name] = updated
                    bar.update(len(records))
            # Our own taxonomy last: a file's copies of our terms never rename them, and
            # every export carries the terms services are tagged with.
            for entity_name, records in self.taxonomy.hsds_records().items():
                upsert(conn, entity_name, records)
            report.indexed = index.rebuild(conn, self.taxonomy)
        self.searcher.forget()
        return report

    def crosswalks(self, crosswalk: Crosswalks) -> list[Crosswalk]:
        """One crosswalk, a path, or a list of either, as loaded Crosswalks."""
        if crosswalk is None:
            return []
        items = [crosswalk] if isinstance(crosswalk, (Crosswalk, str, Path)) else list(crosswalk)
        return [c if isinstance(c, Crosswalk) else Crosswalk.load(Path(c), self.taxonomy) for c in items]

    def _apply_crosswalk(self, conn, parsed: Parsed, crosswalk: Crosswalk, report: ImportReport) -> int:
        """Tag services with our terms wherever their external terms map onto ours."""
        terms = dict(parsed.records.get("taxonomy_term", {}))
        taxonomies = dict(parsed.records.get("taxonomy", {}))
        attributes = list(parsed.records.get("attribute", {}).values())
        missing = {
            a["taxonomy_term_id"]
            for a in attributes
            if a.get("taxonomy_term_id") not in terms and a.get("taxonomy_term_id")
        }
        for term_id_ in missing:
            row = conn.execute(
                sa.select(HSDS_TABLES["taxonomy_term"]).where(HSDS_TABLES["taxonomy_term"].c.id == term_id_)
            ).first()
            if row is not None:
                terms[term_id_] = row_to_record(ENTITIES["taxonomy_term"], row)
        added = 0
        unmapped: set[str] = set()
        for attribute in attributes:
            term = terms.get(attribute.get("taxonomy_term_id"))
            if term is None or term.get("taxonomy", "").startswith("wayfinder-"):
                continue
            taxonomy_record = taxonomies.get(term.get("taxonomy_id")) or {}
            taxonomy_name = term.get("taxonomy") or taxonomy_record.get("name")
            targets = crosswalk.map_term(term, taxonomy_name)
            if not targets and crosswalk.applies_to(taxonomy_name):
                unmapped.add(f"{term.get('code') or ''} {term.get('name')}".strip())
            for taxonomy, code in targets:
                record = {
                    "id": str(
                        uuid.uuid5(
                            uuid.NAMESPACE_URL, f"{ID_BASE}crosswalk/{attribute['link_id']}/{taxonomy}/{code}"
                        )
                    ),
                    "link_id": attribute["link_id"],
                    "link_entity": attribute.get("link_entity") or "service",
                    "link_type": f"{taxonomy} {CROSSWALK_MARK}",
                    "taxonomy_term_id": term_id(taxonomy, code),
                    "value": code,
                }
                if record["id"] not in parsed.records["attribute"]:
                    added += 1
                parsed.records["attribute"][record["id"]] = record
        if unmapped:
            sample = ", ".join(sorted(unmapped)[:5])
            report.warnings.append(
                f"{len(unmapped)} taxonomy term(s) have no crosswalk mapping, e.g. {sample}"
            )
        return added

    def validate_path(self, path: Path | str, crosswalk: Crosswalks = None) -> ImportReport:
        """Everything an import would do, then rolled back: raises HSDSFileError if it would fail."""
        parsed = read_path(path)
        scratch = Directory("sqlite://", self.taxonomy, self.gazetteer)
        return scratch.import_parsed(parsed, crosswalk)

    # --- export -----------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self.engine.connect() as conn:
            return Snapshot.load(conn)

    def export(self, path: Path | str) -> int:
        """HSDS JSON when ``path`` ends in .json, else a tabular data package folder."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            return exporter.write_json(self.snapshot(), path)
        return exporter.write_package(self.snapshot(), path)

    def service(self, service_id: str) -> dict | None:
        """One service with everything HSDS nests in it, or None."""
        found = self.nested("service", [service_id])
        return found[0] if found else None

    def nested(self, entity_name: str, ids: list[str]) -> list[dict]:
        """Records with their HSDS nesting, in the order of ``ids`` (unknown ids left out)."""
        with self.engine.connect() as conn:
            snapshot = load_nested(conn, entity_name, ids)
        records = [snapshot.get(entity_name, record_id) for record_id in ids]
        return [nest(snapshot, entity_name, record) for record in records if record is not None]

    def page(
        self,
        entity_name: str,
        search: str | None = None,
        taxonomy_term_id: str | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> tuple[int, list[dict]]:
        """A page of services or taxonomy terms as the HSDS API lists them: (total, records)."""
        table = HSDS_TABLES[entity_name]
        statement = sa.select(table.c.id)
        if search:
            # What the caller typed is literal text: %, _ and \\ are not wildcards.
            literal = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{literal}%"
            text_columns = [table.c.name, table.c.description] + ([table.c.code] if "code" in table.c else [])
            statement = statement.where(
                sa.or_(*[sa.func.lower(column).like(pattern, escape="\\") for column in text_columns])
            )
        if taxonomy_term_id:
            if entity_name == "taxonomy_term":
                statement = statement.where(
                    sa.or_(table.c.id == taxonomy_term_id, table.c.parent_id == taxonomy_term_id)
                )
            else:
                attribute = HSDS_TABLES["attribute"]
                tagged = sa.select(attribute.c.link_id).where(
                    attribute.c.taxonomy_term_id == taxonomy_term_id
                )
                statement = statement.where(table.c.id.in_(tagged))
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(statement.subquery())).scalar_one()
            ids = list(
                conn.execute(
                    statement.order_by(table.c.name, table.c.id).limit(per_page).offset((page - 1) * per_page)
                ).scalars()
            )
        return total, self.nested(entity_name, ids)

    # --- search -----------------------------------------------------------

    def search(
        self, query: SearchQuery, now: datetime | None = None, record_unmet: bool = False
    ) -> SearchResponse:
        """Rank the services that fit. Never records anything: an unmet need is recorded by an
        explicit ``record_unmet_need`` (when ``response.nothing_fits``, i.e. nothing fits at any
        hour). ``record_unmet`` is accepted for older callers and ignored."""
        with self.engine.connect() as conn:
            return self.searcher.search(conn, query, now)

    def names(self) -> dict[str, list[str]]:
        """Every listed service's id -> its name and its organization's, as callers name them
        (built once per version of the directory; callers must not change it)."""
        with self.engine.connect() as conn:
            memory = self.searcher.memory(conn)
        cached = self._names
        if cached is not None and cached[0] == memory.version:
            return cached[1]
        names: dict[str, list[str]] = {}
        for row in memory.rows:
            names.setdefault(row.service_id, [row.name, *([row.organization] if row.organization else [])])
        self._names = (memory.version, names)
        return names

    def record_unmet_need(
        self, query: SearchQuery, response: SearchResponse, now: datetime | None = None
    ) -> None:
        """What was asked and where; never who asked. Call it when ``response.nothing_fits``."""
        place = response.place
        with self.engine.begin() as conn:
            conn.execute(
                unmet_need.insert().values(
                    # UTC always: SQLite keeps no time zone, PostgreSQL converts to its own.
                    recorded_at=(now or datetime.now(timezone.utc)).astimezone(timezone.utc),
                    need=query.need,
                    postal_code=place.postal_code if place else query.zip_code,
                    place=place.label if place else query.place,
                    constraints=json.dumps(query.constraints(), sort_keys=True),
                )
            )

    def unmet_needs(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(unmet_need).order_by(unmet_need.c.recorded_at))
            return [
                {
                    **row._mapping,
                    "recorded_at": as_utc(row.recorded_at),
                    "constraints": json.loads(row.constraints),
                }
                for row in rows
            ]

    # --- upkeep -----------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(sa.select(sa.func.count()).select_from(HSDS_TABLES["service"])).scalar_one() == 0
            )

    def stats(self) -> dict:
        with self.engine.connect() as conn:
            counts = {
                name: conn.execute(sa.select(sa.func.count()).select_from(HSDS_TABLES[name])).scalar_one()
                for name in ORDER
            }
            active = conn.execute(
                sa.select(sa.func.count(sa.distinct(search_row.c.service_id))).where(
                    search_row.c.active.is_(True)
                )
            ).scalar_one()
            needs = conn.execute(
                sa.select(search_row.c.service_id, search_row.c.needs, search_row.c.verified_on)
            ).all()
            unmet = conn.execute(sa.select(sa.func.count()).select_from(unmet_need)).scalar_one()
        by_need: dict[str, set[str]] = {}
        stale = set()
        cutoff = (datetime.now(timezone.utc).date() - timedelta(days=365)).isoformat()
        for service_id, packed, verified_on in needs:
            for code in filter(None, packed.split("|")):
                by_need.setdefault(code, set()).add(service_id)
            if not verified_on or verified_on[:10] < cutoff:
                stale.add(service_id)
        return {
            "database": self.engine.url.render_as_string(hide_password=True),
            "records": counts,
            "active_services": active,
            "services_by_need": {code: len(ids) for code, ids in sorted(by_need.items())},
            "not_verified_in_a_year": len(stale),
            "unmet_needs_recorded": unmet,
        }

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Directory", "HSDSFileError", "ImportReport"]
