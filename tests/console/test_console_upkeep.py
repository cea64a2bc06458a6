"""Upkeep with a second real console whose clocks run fast: an advocate whose console is gone
releases the conversation back to the queue, and a caller who went quiet is marked abandoned
and gets the assistant back."""

from __future__ import annotations

import pytest

from tests.console.client import Console, new_user, signed_in, start_console
from tests.polling import eventually


# One clock runs fast per console, so that a released caller is not abandoned before the test sees it.
@pytest.fixture
def console_whose_advocates_leave_fast(assistant):
    yield from start_console(assistant, WAYFINDER_ADVOCATE_GONE_SECONDS="1")


@pytest.fixture
def console_whose_callers_leave_fast(assistant):
    yield from start_console(assistant, WAYFINDER_CALLER_GONE_MINUTES="0.05")


def test_an_advocate_whose_console_is_gone_releases_the_conversation(
    assistant, console_whose_advocates_leave_fast, sender
):
    console = Console(console_whose_advocates_leave_fast)
    assert console.sign_in(new_user(assistant)).status_code == 200
    assistant.say(sender, "talk to a person")
    entry = console.queued(sender)
    assert console.post(f"/api/handoffs/{entry['id']}/claim").status_code == 200
    # No live connection from this advocate: after the grace period the request is back in line.
    released = eventually(lambda: (console.queued(sender) or {}).get("state") == "waiting")
    assert released

    def caller_told_still_in_line() -> bool:
        # The record is released first and the caller told just after, so the message may lag.
        events = assistant.tracker(sender)["events"]
        return any("still in line" in (e.get("text") or "") for e in events if e["event"] == "bot")

    assert eventually(caller_told_still_in_line)
    supervisor_view = (
        signed_in(assistant, "supervisor", "Lee").get("/api/audit", handoff_id=entry["id"]).json()
    )
    assert any(
        a["action"] == "released" and a["detail"]["why"] == "advocate disconnected"
        for a in supervisor_view["audit"]
    )


def test_a_caller_who_went_quiet_is_abandoned_and_gets_the_assistant_back(
    assistant, console_whose_callers_leave_fast, sender
):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    entry = console.queued(sender)

    def abandoned() -> bool:
        handoffs = console.get("/api/history", disposition="abandoned").json()["handoffs"]
        return entry["id"] in [h["id"] for h in handoffs]

    assert eventually(abandoned)
    assert eventually(lambda: any(e["event"] == "resume" for e in assistant.tracker(sender)["events"]))
    assert assistant.say(sender, "what can you do"), "the assistant answers a caller who comes back"
