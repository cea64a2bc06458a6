"""Database engines: SQLite files by default, PostgreSQL when configured, one way for every store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# How long a statement waits for another connection's write lock before "database is locked".
# Writes are short (milliseconds); this rides out an import or a checkpoint, not a hung writer.
SQLITE_BUSY_TIMEOUT_MS = 5000


def use_sqlite_pragmas(engine: Engine, synchronous: str | None = None) -> Engine:
    """Every new connection of a SQLite ``engine`` waits out others' locks and uses WAL;
    other databases are left as they are.

    WAL lets readers (the console, a tracker lookup) go on while another connection writes,
    so only writers ever wait for each other, and then for at most the busy timeout. The
    timeout is set first: switching a file to WAL itself needs the write lock."""
    if engine.dialect.name != "sqlite":
        return engine

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            if synchronous:
                cursor.execute(f"PRAGMA synchronous={synchronous}")
        finally:
            cursor.close()

    return engine


def create_engine(url: str) -> Engine:
    # An error's text never quotes the statement's values (a phone number, a caller's words):
    # errors end up in logs.
    if url.startswith("sqlite"):
        # A pool even for a file: opening a connection (and its pragmas) per search costs more than the search.
        pool = {} if url in ("sqlite://", "sqlite:///:memory:") else {"poolclass": sa.pool.QueuePool}
        engine = sa.create_engine(
            url, future=True, hide_parameters=True, connect_args={"check_same_thread": False}, **pool
        )
        # NORMAL is safe in WAL mode (a power cut may lose the last commits, never corrupt the file);
        # these stores favour write speed during an import.
        return use_sqlite_pragmas(engine, synchronous="NORMAL")
    return sa.create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True)


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC; a naive time (SQLite keeps no zone) is UTC already."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def engine_with_tables(metadata: sa.MetaData, url: str) -> Engine:
    """An engine on ``url`` with ``metadata``'s tables created where missing."""
    engine = create_engine(url)
    metadata.create_all(engine)
    add_missing_columns(engine, metadata)
    return engine


def add_missing_columns(engine: Engine, metadata: sa.MetaData) -> list[str]:
    """Add the nullable columns a newer release declares to tables an older one created.

    A database kept across upgrades (``make run``'s, an operator's) would otherwise fail on
    the first query that names a new column. Only nullable columns without a server default
    are added; anything else needs a real migration and fails loudly. Returns what was added.
    """
    inspector = sa.inspect(engine)
    added = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable or column.primary_key:
                raise RuntimeError(
                    f"{table.name}.{column.name} is missing and cannot be added without a migration"
                )
            kind = column.type.compile(dialect=engine.dialect)
            with engine.begin() as conn:
                conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            added.append(f"{table.name}.{column.name}")
    return added


@contextmanager
def temporary_postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server at ``server_url``, named
    ``prefix`` and a random suffix, dropped on exit (tests and benchmarks start from nothing)."""
    server = sa.engine.make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
