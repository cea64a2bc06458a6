"""The widget in a real browser against the real assistant.

Session-wide: Debian's Chromium (tests/browser.py), the real assistant
(tests/conftest.py) and ``python -m bot.web`` serving the widget's demo page on
another port, so the page talks to Rasa's socket.io across origins as on a real
site. Each test gets a fresh browser context: no storage from another test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from bot import run
from bot.config import PROJECT_ROOT
from tests.assistant import Assistant
from tests.browser import chromium_path, launched_browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
EXIT_URL = "https://www.google.com/search?q=weather"
# The real assistant answers within seconds; a first answer can wait for the action server's warm-up.
REPLY_TIMEOUT_MS = 90_000


def node_modules_ready() -> None:
    missing = [path for path in (AXE, SOCKET_IO_CLIENT) if not path.is_file()]
    if missing:
        message = f"{missing[0]} is missing: run `npm ci` (make setup does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


# Module scope: while Playwright's sync API is open it runs an event loop in this thread, and
# every later test that calls asyncio.run (sanic-testing, the SMS sender) would fail.
@pytest.fixture(scope="module")
def browser():
    chromium_path()
    node_modules_ready()
    with launched_browser() as launched:
        yield launched


@contextmanager
def demo_page(port: int, socket_url: str) -> Iterator[str]:
    """`python -m bot.web` serving the widget's demo page on ``port``, talking to ``socket_url``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.web", "--port", str(port), "--socket-url", socket_url],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/demo"
    try:
        run.wait_until_up(url, process, seconds=60)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def widget_url(browser, assistant: Assistant, widget_demo_port: int) -> str:
    """The demo page, served by `python -m bot.web` and talking to the session's Rasa server,
    from the one other origin the assistant allows."""
    with demo_page(widget_demo_port, assistant.api_url) as url:
        yield url


@dataclass
class Widget:
    page: object
    url: str
    assistant: Assistant

    # By role, not by name: the names follow the conversation's language ("Conversación").
    @property
    def log(self):
        return self.page.get_by_role("log")

    @property
    def input(self):
        return self.page.get_by_role("textbox")

    def open(self) -> None:
        self.page.goto(self.url)
        self.page.get_by_role("button", name="Chat with us").click()
        self.wait_for("What can I help you find?")

    def wait_for(self, text: str) -> None:
        from playwright.sync_api import expect

        expect(self.log).to_contain_text(text, timeout=REPLY_TIMEOUT_MS)

    def say(self, text: str, then: str | None = None) -> None:
        self.input.fill(text)
        self.input.press("Enter")
        if then:
            self.wait_for(then)

    def bot_messages(self) -> int:
        return self.log.locator(".wf-msg-bot").count()

    def wait_for_reply(self, after: int) -> None:
        """Until more bot messages are shown than ``after``."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('.wf-log .wf-msg-bot').length > n",
            arg=after,
            timeout=REPLY_TIMEOUT_MS,
        )

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(sessionStorage.getItem('wayfinder.widget')).sessionId")

    def storage_keys(self) -> list[str]:
        return self.page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")

    def send_bot_events(self, events: list[dict]) -> None:
        """What the staff console does: bot events through Rasa's HTTP API, sent to the caller's channel."""
        url = (
            f"{self.assistant.api_url}/conversations/{self.session_id()}/tracker/events"
            "?output_channel=latest&execute_side_effects=true"
        )
        request = urllib.request.Request(
            url,
            data=json.dumps(events).encode(),
            headers={"Content-Type": "application/json", **self.assistant.api_headers()},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 200


@pytest.fixture
def widget(browser, widget_url, assistant):
    context = browser.new_context()
    # The quick exit's neutral site, answered here: tests do not reach the internet.
    context.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>Weather</title><p>Weather</p>"
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield Widget(page, widget_url, assistant)
        assert not dialogs, f"a script in a message ran: {dialogs}"
        assert not errors, f"errors in the page: {errors}"
    finally:
        context.close()
