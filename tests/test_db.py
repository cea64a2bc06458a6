"""Wayfinder's own SQLite engines: WAL mode and a busy timeout on every connection."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from bot import db
from bot.db import engine_with_tables


def test_every_connection_waits_for_locks_and_the_file_is_in_wal_mode(tmp_path, monkeypatch):
    # Not Python's own default (5 s), so the value read back is the one Wayfinder set.
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 4321)
    path = tmp_path / "wayfinder.sqlite3"
    metadata = sa.MetaData()
    sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True))
    engine = engine_with_tables(metadata, f"sqlite:///{path}")
    try:
        with engine.connect() as first, engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        engine.dispose()
    outsider = sqlite3.connect(path)
    try:
        assert outsider.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        outsider.close()


def test_an_error_names_the_statement_but_not_its_values(tmp_path):
    metadata = sa.MetaData()
    notes = sa.Table(
        "notes", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("text", sa.Text)
    )
    engine = engine_with_tables(metadata, f"sqlite:///{tmp_path / 'wayfinder.sqlite3'}")
    try:
        with engine.begin() as conn:
            conn.execute(notes.insert(), {"id": 1, "text": "first"})
        with pytest.raises(sa.exc.IntegrityError) as raised, engine.begin() as conn:
            conn.execute(notes.insert(), {"id": 1, "text": "call me at +12155550123"})
    finally:
        engine.dispose()
    assert "INSERT INTO notes" in str(raised.value)
    assert "2155550123" not in str(raised.value)
