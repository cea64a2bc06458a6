"""A real assistant off shift: no advocate is online, so asking for a person offers a call back
and the assistant keeps helping (nothing pauses the conversation)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import run
from tests.assistant import Assistant, start_stack


@pytest.fixture(scope="session")
def off_shift_assistant(tmp_path_factory, assistant_environment) -> Assistant:
    """A stack of its own, advocates off shift. WAYFINDER_TEST_MODEL serves another model than
    models/wayfinder.tar.gz (to try changed rules before the shared model is trained again)."""
    model = os.environ.get("WAYFINDER_TEST_MODEL")
    original = run.latest_model
    if model:
        run.latest_model = lambda: Path(model)
    try:
        started, _ports, processes = start_stack(
            tmp_path_factory.mktemp("off-shift-var"),
            {**assistant_environment, "WAYFINDER_ADVOCATE_HOURS": "never"},
        )
    finally:
        run.latest_model = original
    try:
        yield started
    finally:
        run.stop(processes)
