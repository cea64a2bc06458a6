"""Another process's hold on a SQLite file, as a test needs it: real locks on real files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writes_blocked(path: Path) -> Iterator[None]:
    """Another connection holds the write lock (readers go on: the file is in WAL mode)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def everything_blocked(path: Path) -> Iterator[None]:
    """Another connection holds the file in exclusive locking mode: nobody reads or writes."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.close()
