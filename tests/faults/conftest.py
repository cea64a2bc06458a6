"""A stack of the faults tests' own: its databases get locked, and its log files are read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import run
from tests.assistant import Assistant


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
    ports, secret, processes = run.start_isolated(
        run.latest_model(), var_dir, assistant_environment, log_dir=log_dir
    )
    assistant = Assistant(
        f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook",
        f"http://127.0.0.1:{ports.rasa}",
        secret,
        var_dir,
        console_url=f"http://127.0.0.1:{ports.console}",
    )
    try:
        yield Stack(assistant, log_dir)
    finally:
        run.stop(processes)
