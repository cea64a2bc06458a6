"""What a caller is told about reaching a person follows who is signed in to the console, seen
in the widget: a stack of its own, where presence decides (WAYFINDER_ADVOCATE_HOURS unset),
since the session's stack has advocates on shift for every other test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot import run
from tests.assistant import start_assistant
from tests.console.client import LiveFeed, signed_in
from tests.widget.conftest import REPLY_TIMEOUT_MS, Widget, demo_page

NO_ONE = "No one from our team is online right now"
SOMEONE = "Someone from our team is online now"


@pytest.fixture(scope="module")
def staffed_by_presence(tmp_path_factory, assistant_environment):
    stack, processes = start_assistant(
        tmp_path_factory, {**assistant_environment, "WAYFINDER_ADVOCATE_HOURS": ""}
    )
    try:
        yield stack
    finally:
        run.stop(processes)


@pytest.fixture(scope="module")
def page_url(browser, staffed_by_presence, widget_demo_port):
    with demo_page(widget_demo_port, staffed_by_presence.api_url) as url:
        yield url


def greeting(browser, url, stack) -> Widget:
    """A new caller opens the chat; their greeting, as shown."""
    context = browser.new_context()
    widget = Widget(context.new_page(), url, stack)
    widget.open()
    return widget


def test_the_greeting_says_whether_a_person_is_online_from_who_is_signed_in(
    browser, page_url, staffed_by_presence
):
    alone = greeting(browser, page_url, staffed_by_presence)
    alone.wait_for(NO_ONE)
    expect(alone.log.get_by_role("button", name="Ask for a call back")).to_be_visible()

    advocate = signed_in(staffed_by_presence, name="Ana")
    feed = LiveFeed(advocate)  # a console page open, as an advocate on shift has
    assert feed.opened.wait(30) and feed.failure is None
    staffed = greeting(browser, page_url, staffed_by_presence)
    staffed.wait_for(SOMEONE)
    expect(staffed.log).not_to_contain_text(NO_ONE, timeout=REPLY_TIMEOUT_MS)
    expect(staffed.log.get_by_role("button", name="Talk to a person")).to_be_visible()

    away = advocate.http.put(
        f"{advocate.base_url}/api/presence", json={"status": "away"}, headers={"X-CSRF-Token": advocate.csrf}
    )
    assert away.status_code == 200
    later = greeting(browser, page_url, staffed_by_presence)
    later.wait_for(NO_ONE)
