"""A stack of the faults tests' own: its databases get locked, and its log files are read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import run
from tests.assistant import Assistant, start_stack


@dataclass
class Stack:
    assistant: Assistant
    log_dir: Path

    @property
    def tracker_file(self) -> Path:
        return self.assistant.var_dir / "tracker.sqlite3"

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("*.log")))


@pytest.fixture(scope="session")
def stack(tmp_path_factory, assistant_environment) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("faults-var")
    log_dir = tmp_path_factory.mktemp("faults-logs")
    assistant, _ports, processes = start_stack(var_dir, assistant_environment, log_dir=log_dir)
    try:
        yield Stack(assistant, log_dir)
    finally:
        run.stop(processes)
