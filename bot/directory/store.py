"""Storage: one table per HSDS entity, plus the search index and unmet needs.

The HSDS tables mirror the specification field for field (see ``hsds.py``), so
that an import followed by an export loses nothing; properties outside the
specification are kept as JSON in each row's ``extra`` column. The ``wf_``
tables are Wayfinder's own and are derived from the HSDS tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.directory.hsds import ENTITIES, NUMBER, ORDER, Entity

metadata = sa.MetaData()
# The link_type of attributes a crosswalk derived: re-importing the source file without its
# crosswalk leaves them, since the file never listed them.
CROSSWALK_MARK = "(crosswalk)"
# Records that stand on their own: an organization that stops listing a service detaches it, never deletes it.
MAIN_RECORDS = ("organization", "service", "location", "program", "taxonomy", "taxonomy_term")


def _hsds_table(entity: Entity) -> sa.Table:
    # HSDS sets no length on ids or text, so neither does the store.
    columns = [sa.Column("id", sa.Text, primary_key=True)]
    for name, kind in entity.fields.items():
        if name == "id":
            continue
        columns.append(sa.Column(name, sa.Float if kind == NUMBER else sa.Text))
    columns.append(sa.Column("extra", sa.Text))
    indexes = [
        sa.Index(f"ix_{entity.table}_{name}", name)
        for name in entity.fields
        if name != "id" and (name.endswith("_id") or name in ("link_entity", "resource_type"))
    ]
    return sa.Table(entity.table, metadata, *columns, *indexes)


HSDS_TABLES: dict[str, sa.Table] = {name: _hsds_table(ENTITIES[name]) for name in ORDER}

# One row per place a service can be found at (a virtual service has one row
# without coordinates). Facet columns hold codes as "|a|b|" so that a row is
# tested without joins; the row is rebuilt from HSDS tables after every import.
search_row = sa.Table(
    "wf_search_row",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("service_id", sa.Text, nullable=False, index=True),
    sa.Column("location_id", sa.Text),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("is_virtual", sa.Boolean, nullable=False, default=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("minimum_age", sa.Float),
    sa.Column("maximum_age", sa.Float),
    sa.Column("needs", sa.Text, nullable=False, default=""),
    sa.Column("payments", sa.Text, nullable=False, default=""),
    sa.Column("populations", sa.Text, nullable=False, default=""),
    sa.Column("access", sa.Text, nullable=False, default=""),
    sa.Column("languages", sa.Text, nullable=False, default=""),
    sa.Column("hours", sa.Text),
    sa.Column("verified_on", sa.Text),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("organization", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("postal_code", sa.Text),
    sa.Column("located_by", sa.String(16)),  # coordinates | postal_code: how the distance was measured
    sa.Column("url", sa.Text),
    sa.Column("organization_id", sa.Text),  # for "not that one": exclusions by organization
    sa.Column("areas", sa.Text),  # service areas (areas.Area as JSON); NULL = anywhere
)

# Small facts about the directory itself: index_version grows with every rebuild of
# the search index, so that every process holding it in memory knows to reload.
meta = sa.Table(
    "wf_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)


def index_version(conn: Connection) -> int:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == "index_version")).scalar() or 0


def bump_index_version(conn: Connection) -> int:
    version = index_version(conn) + 1
    if conn.execute(meta.update().where(meta.c.key == "index_version").values(value=version)).rowcount == 0:
        conn.execute(meta.insert().values(key="index_version", value=version))
    return version


# What callers needed and could not be given: no name, no phone number.
unmet_need = sa.Table(
    "wf_unmet_need",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("need", sa.Text),
    sa.Column("postal_code", sa.Text),
    sa.Column("place", sa.Text),
    sa.Column("constraints", sa.Text, nullable=False),
)


def row_to_record(entity: Entity, row: sa.engine.Row) -> dict:
    """A stored row as an HSDS record: unset fields left out, numbers as JSON has them."""
    record: dict = {}
    mapping = row._mapping
    for name, kind in entity.fields.items():
        value = mapping[name]
        if value is None:
            continue
        if kind == NUMBER and float(value).is_integer():
            value = int(value)
        record[name] = value
    if mapping["extra"]:
        record.update(json.loads(mapping["extra"]))
    return record


@dataclass
class Snapshot:
    """Every HSDS record in memory, indexed for nesting. Used by export and indexing."""

    records: dict[str, dict[str, dict]] = field(default_factory=dict)
    by_key: dict[tuple[str, str], dict[str, list[dict]]] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, entities: Iterable[str] = ORDER) -> Snapshot:
        snapshot = cls()
        for name in entities:
            entity = ENTITIES[name]
            rows = conn.execute(sa.select(HSDS_TABLES[name]).order_by(HSDS_TABLES[name].c.id))
            snapshot.records[name] = {row.id: row_to_record(entity, row) for row in rows}
        return snapshot

    def children(self, entity: str, key: str, parent_id: str) -> list[dict]:
        index = self.by_key.get((entity, key))
        if index is None:
            index = defaultdict(list)
            for record in self.records.get(entity, {}).values():
                if record.get(key) is not None:
                    index[record[key]].append(record)
            self.by_key[(entity, key)] = index
        return index.get(parent_id, [])

    def get(self, entity: str, record_id: str | None) -> dict | None:
        if record_id is None:
            return None
        return self.records.get(entity, {}).get(record_id)


def load_nested(conn: Connection, entity_name: str, ids: Iterable[str]) -> Snapshot:
    """Only the records that ``nest`` embeds in the given records: a page, not the whole directory."""
    snapshot = Snapshot()

    def visit(name: str, column: str, values: set[str], path: tuple[str, ...]) -> None:
        if not values:
            return
        entity, table = ENTITIES[name], HSDS_TABLES[name]
        found = []
        for batch in chunks(sorted(values)):
            found += [
                row_to_record(entity, row)
                for row in conn.execute(sa.select(table).where(table.c[column].in_(batch)))
            ]
        snapshot.records.setdefault(name, {}).update((record["id"], record) for record in found)
        path = (*path, name)
        for ref in entity.refs:
            if ref.entity not in path:
                visit(ref.entity, "id", {r[ref.key] for r in found if r.get(ref.key)}, path)
        for child in entity.children:
            if child.entity not in path:
                visit(child.entity, child.key, {r["id"] for r in found}, path)

    visit(entity_name, "id", set(ids), ())
    return snapshot


def nest(snapshot: Snapshot, entity_name: str, record: dict, path: tuple[str, ...] = ()) -> dict:
    """The record with its children and references embedded, as HSDS JSON nests them.

    An entity already on the path is not embedded again, which stops the
    organization -> services -> organization cycle.
    """
    entity = ENTITIES[entity_name]
    path = (*path, entity_name)
    nested = dict(record)
    for ref in entity.refs:
        if ref.entity in path:
            continue
        target = snapshot.get(ref.entity, record.get(ref.key))
        if target is not None:
            nested[ref.field] = nest(snapshot, ref.entity, target, path)
    for child in entity.children:
        if child.entity in path:
            continue
        rows = snapshot.children(child.entity, child.key, record["id"])
        if rows:
            nested[child.field] = [nest(snapshot, child.entity, row, path) for row in rows]
    return nested


def chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert(conn: Connection, entity_name: str, records: list[dict]) -> tuple[int, int]:
    """Insert new records and replace existing ones with the same id.

    Returns (inserted, updated). Runs inside the caller's transaction.
    """
    table = HSDS_TABLES[entity_name]
    entity = ENTITIES[entity_name]
    rows = [_to_row(entity, record) for record in records]
    existing: set[str] = set()
    for batch in chunks([row["id"] for row in rows]):
        existing.update(conn.execute(sa.select(table.c.id).where(table.c.id.in_(batch))).scalars())
    new_rows = [row for row in rows if row["id"] not in existing]
    old_rows = [row for row in rows if row["id"] in existing]
    for batch in chunks(new_rows, 2000):
        conn.execute(table.insert(), batch)
    if old_rows:
        statement = (
            table.update()
            .where(table.c.id == sa.bindparam("_id"))
            .values({name: sa.bindparam(name) for name in rows[0] if name != "id"})
        )
        for batch in chunks(old_rows, 2000):
            conn.execute(statement, [{**row, "_id": row["id"]} for row in batch])
    return len(new_rows), len(old_rows)


def remove_stale_children(
    conn: Connection, child_lists: set[tuple[str, str, str]], present: dict[str, dict[str, dict]]
) -> int:
    """Make each listed parent's children exactly those in the new data.

    A child that still belongs to another record (a phone of a service and of its
    location), or that is a main record (a service an organization stops listing),
    is only detached from this parent; any other is deleted. Works in batches per
    kind of child, so a large import costs a few queries per thousand parents.
    Returns how many children were detached or deleted.
    """
    parents_by_link: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity_name, key, parent_id in child_lists:
        parents_by_link[(entity_name, key)].add(parent_id)
    changed = 0
    for (entity_name, key), parents in sorted(parents_by_link.items()):
        table = HSDS_TABLES[entity_name]
        keep = {
            record_id
            for record_id, record in present.get(entity_name, {}).items()
            if record.get(key) in parents
        }
        other_keys = [
            name
            for name in ENTITIES[entity_name].fields
            if name.endswith("_id") and name not in ("id", key, "taxonomy_term_id")
        ]
        detach, delete = [], []
        for batch in chunks(sorted(parents)):
            for row in conn.execute(sa.select(table).where(table.c[key].in_(batch))):
                if row.id in keep:
                    continue
                if entity_name == "attribute" and (row.link_type or "").endswith(CROSSWALK_MARK):
                    continue
                if entity_name in MAIN_RECORDS or any(getattr(row, name) for name in other_keys):
                    detach.append(row.id)
                else:
                    delete.append(row.id)
        for batch in chunks(detach):
            conn.execute(table.update().where(table.c.id.in_(batch)).values({key: None}))
        for batch in chunks(delete):
            conn.execute(table.delete().where(table.c.id.in_(batch)))
        changed += len(detach) + len(delete)
    return changed


def _to_row(entity: Entity, record: dict) -> dict:
    row = {name: record.get(name) for name in entity.fields}
    extra = {key: value for key, value in record.items() if key not in entity.fields}
    row["extra"] = json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None
    return row


def create_all(engine: Engine) -> bool:
    """Create missing tables. Returns True when the search index had to be rebuilt from scratch.

    The search index is derived data: when an older version of Wayfinder made it
    with other columns, it is dropped and recreated (and must be rebuilt); the
    HSDS tables are never touched.
    """
    inspector = sa.inspect(engine)
    stale = inspector.has_table(search_row.name) and {
        c["name"] for c in inspector.get_columns(search_row.name)
    } != set(search_row.c.keys())
    if stale:
        search_row.drop(engine)
    metadata.create_all(engine)
    return stale
