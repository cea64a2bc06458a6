"""Multi-turn callers against a directory the assistant never saw (tests/scenarios/driver.py).

Its own stack: the test directory (a 211's HSDS export) imported through the AIRS/211
crosswalk instead of the sample. The floors guard the sealed figure measured when the
scenarios were written (README); issue 11 aims at 90%.
"""

from __future__ import annotations

import uuid

import pytest

from bot.config import PROJECT_ROOT
from tests.assistant import start_stack
from tests.scenarios.driver import HERE, SETS, SPANISH_SETS, report, run

DIRECTORY = HERE / "directory" / "services.json"
CROSSWALK = [
    PROJECT_ROOT / "data" / "directory" / "crosswalks" / "airs_211.yml",
    HERE / "directory" / "dv211_local.yml",
]
# Measured when the scenarios were written, before any change they measure: sealed 3/24 (12%),
# open 7/40 (18%); after session 17, sealed 10/24 (42%), open 23/40 (57%); after session 18,
# sealed 11/24 (46%), open 33/40 (82%); after session 21, sealed 13/24 (54%), open 32/40 (80%).
# Session 23: a fresh blind batch scored 11/24 before any change against it, then joined the open
# set (64); after that session, sealed 13/24, open 44/64. Session 24: sealed 15/24, open 47/64.
# Session 25: sealed 15/24, open 50/64 (the floor stays 13/24). Session 28: sealed 17/24, open 54/64.
# Two scenarios of slack: what is open, and so what is offered first, depends on the hour of the run.
SEALED_FLOOR = 15 / 24
# Spanish (issue 12), written blind before any Spanish change: sealed 1/9, open 1/15 then;
# after session 19, sealed 4/9, open 11/15. In session 21 two sealed scenarios that a developer
# had seen were rewritten blind: the set is partly new. It measured 2/9 (the old set 3/9 on the
# same code), open 10/15. One scenario of slack, as before, from the new figure. Session 23: sealed
# 3/9 (open 16/23 with 8 fresh callers, 5/8 of them before any change), so the floor was 2/9.
# Session 24: sealed 4/9, open 18/23; the floor is 3/9. Session 25: sealed 5/9, open 21/23;
# the floor is 4/9. Session 28: sealed 6/9, open 21/23; the floor is 5/9.
SPANISH_SEALED_FLOOR = 5 / 9


@pytest.fixture(scope="module")
def scenario_assistant(tmp_path_factory, assistant_environment):
    from bot import run as processes

    assistant, _ports, started = start_stack(
        tmp_path_factory.mktemp("scenarios-var"),
        assistant_environment,
        directory=DIRECTORY,
        crosswalk=CROSSWALK,
    )
    try:
        yield assistant
    finally:
        processes.stop(started)


def test_callers_get_the_services_they_need_from_a_directory_never_seen(scenario_assistant, capsys):
    prefix = f"scenario-{uuid.uuid4().hex[:6]}"
    results = {name: run(name, scenario_assistant.say, prefix) for name in (*SETS, *SPANISH_SETS)}
    with capsys.disabled():  # the figures are make test's output, passed or not
        for name, conversations in results.items():
            print("\n".join(report(name, conversations, show=not name.endswith("sealed"))))
    sealed = results["sealed"]
    passed = sum(not c.problems() for c in sealed) / len(sealed)
    assert passed >= SEALED_FLOOR, f"sealed scenarios passed: {passed:.0%}"
    spanish = results["es_sealed"]
    passed = sum(not c.problems() for c in spanish) / len(spanish)
    assert passed >= SPANISH_SEALED_FLOOR, f"Spanish sealed scenarios passed: {passed:.0%}"
