"""Database engines: SQLite files by default, PostgreSQL when configured, one way for every store."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # A pool even for a file: opening a connection (and its pragmas) per search costs more than the search.
        pool = {} if url in ("sqlite://", "sqlite:///:memory:") else {"poolclass": sa.pool.QueuePool}
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False}, **pool)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            # WAL lets the console read while an import writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC; a naive time (SQLite keeps no zone) is UTC already."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def engine_with_tables(metadata: sa.MetaData, url: str) -> Engine:
    """An engine on ``url`` with ``metadata``'s tables created where missing."""
    engine = create_engine(url)
    metadata.create_all(engine)
    return engine
