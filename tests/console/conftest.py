"""Browser fixtures for the staff console: Debian's Chromium, console accounts, a socket.io caller.

Everything runs against the session's real processes (tests/assistant.py): the Rasa
server, the action server and the console, all started once by the ``assistant`` fixture.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import socketio

from bot.config import PROJECT_ROOT
from tests.assistant import Assistant, rest_conversation_id
from tests.browser import launched_browser
from tests.polling import eventually

TIMEOUT_MS = 30_000  # Playwright's auto-waiting expectations
SOCKET_TIMEOUT_S = 60.0  # a caller waiting for the assistant or an advocate


@dataclass
class ConsoleUser:
    username: str
    password: str
    display_name: str
    role: str


# Module scope: while Playwright's sync API is open it runs an event loop in this thread, and
# every later test that calls asyncio.run (sanic-testing, the SMS sender) would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with launched_browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def console_url(assistant: Assistant) -> str:
    if not assistant.console_url:
        pytest.fail(
            "the session assistant does not start the console (tests/assistant.py has no console_url)"
        )
    return assistant.console_url


def add_console_user(assistant: Assistant, role: str, display_name: str) -> ConsoleUser:
    """A new account made the way staff make them: `python -m bot.console add-user --password-stdin`."""
    user = ConsoleUser(
        username=f"{role[:3]}-{uuid.uuid4().hex[:8]}",
        password=f"pw-{uuid.uuid4().hex}",
        display_name=display_name,
        role=role,
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.console",
            "add-user",
            user.username,
            "--role",
            role,
            "--name",
            display_name,
            "--password-stdin",
        ],
        input=user.password + "\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "WAYFINDER_VAR_DIR": str(assistant.var_dir)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return user


@pytest.fixture(scope="session")
def advocate(assistant: Assistant) -> ConsoleUser:
    return add_console_user(assistant, "advocate", "Sam")


@pytest.fixture(scope="session")
def supervisor(assistant: Assistant) -> ConsoleUser:
    return add_console_user(assistant, "supervisor", "Lee")


@dataclass
class PageErrors:
    """Script errors and Content-Security-Policy violations seen by a page: a test ends with none."""

    found: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.found.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.found.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )


@pytest.fixture
def new_page(browser, console_url) -> Iterator[Callable[[], object]]:
    """Pages in fresh browser contexts (no cookies), at the console's address."""
    contexts = []
    errors = PageErrors()

    def make():
        context = browser.new_context(base_url=console_url)
        contexts.append(context)
        page = context.new_page()
        errors.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors.found, errors.found


def sign_in(page, user: ConsoleUser) -> None:
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#whoami")).to_contain_text(f"Signed in as {user.display_name}")
    # The live websocket is up: what happens from now on reaches this page.
    expect(page.locator("#connection")).to_have_text("Live updates on")


@pytest.fixture
def signed_in(new_page, advocate) -> object:
    """The advocate's console, signed in and following the queue live."""
    page = new_page()
    sign_in(page, advocate)
    return page


class Caller:
    """Someone on the website widget's channel: Rasa's socket.io protocol, as the widget speaks it."""

    def __init__(self, rasa_url: str) -> None:
        # The server issues the conversation id, and a token to come back to it after a reconnection.
        self.session_id: str | None = None
        self.resume_token: str | None = None
        self.messages: list[dict] = []
        self.disconnects = 0
        self._lock = threading.Lock()
        self._confirmed = threading.Event()
        # Polling: the sync client's websocket transport needs websocket-client, which Rasa does not install.
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.5)
        self.client.on("bot_uttered", self._bot_uttered)
        self.client.on("session_token", self._session_token)
        self.client.on("session_confirm", self._session_confirm)
        self.client.on("connect", self._connected)
        self.client.on("disconnect", self._disconnected)
        self.client.connect(rasa_url, transports=["polling"], socketio_path="socket.io", wait_timeout=30)
        assert self._confirmed.wait(30), "the socket.io channel did not confirm the session"

    def _connected(self) -> None:
        # As the widget does: (re)join the conversation, on the first connection and after a reconnection.
        self.client.emit(
            "session_request", {"session_id": self.session_id, "resume_token": self.resume_token}
        )

    def _session_token(self, token: str) -> None:
        self.resume_token = token

    def _session_confirm(self, session_id: str) -> None:
        self.session_id = session_id
        self._confirmed.set()

    def _disconnected(self, *_) -> None:
        self.disconnects += 1

    @property
    def conversation_id(self) -> str:
        return self.session_id

    def _bot_uttered(self, message: dict) -> None:
        with self._lock:
            self.messages.append(message)

    def received(self) -> list[dict]:
        with self._lock:
            return list(self.messages)

    def say(self, text: str) -> int:
        """Send a message; returns how many bot messages had arrived before it."""
        count = len(self.received())
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        return count

    def typing(self) -> None:
        """What the widget sends while the caller writes."""
        self.client.emit("user_typing", {"session_id": self.session_id})

    def wait_for(self, predicate: Callable[[dict], bool], after: int = 0, what: str = "a message") -> dict:
        """The first bot message from index ``after`` on that matches, polling up to a minute."""
        matching = eventually(
            lambda: next((m for m in self.received()[after:] if predicate(m)), None), SOCKET_TIMEOUT_S
        )
        if matching is None:
            texts = [message.get("text") for message in self.received()]
            raise AssertionError(
                f"the caller never received {what} (socket.io disconnections: {self.disconnects}); got {texts!r}"
            )
        return matching

    def wait_for_text(self, fragment: str, after: int = 0) -> dict:
        return self.wait_for(lambda message: fragment in (message.get("text") or ""), after, repr(fragment))

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def caller(assistant: Assistant) -> Iterator[Caller]:
    connected = Caller(assistant.api_url)
    try:
        yield connected
    finally:
        connected.close()


def handoff_id(assistant: Assistant, conversation_id: str) -> int:
    """The conversation's latest handoff request (the assistant's own records), polling until it exists."""
    rows = eventually(
        lambda: assistant.query(
            "SELECT id FROM wf_handoff WHERE conversation_id = :c ORDER BY id DESC",
            c=rest_conversation_id(conversation_id),
        ),
        SOCKET_TIMEOUT_S,
    )
    assert rows, f"no handoff request for {conversation_id}"
    return int(rows[0][0])


@pytest.fixture
def put_in_queue(assistant: Assistant) -> Iterator[Callable[..., int]]:
    """Requests written straight into the handoff queue, as the assistant's actions write them
    (``HandoffQueue.request``); whatever a test left open is closed as abandoned afterwards."""
    from bot.handoff import HandoffError, HandoffQueue

    queue = HandoffQueue.open(f"sqlite:///{assistant.var_dir / 'wayfinder.sqlite3'}")
    made: list[int] = []

    def put(
        conversation_id: str,
        reason: str = "caller_request",
        priority: str = "normal",
        summary: dict | None = None,
        channel: str | None = None,
    ) -> int:
        made.append(
            queue.request(conversation_id, reason=reason, priority=priority, channel=channel, summary=summary)
        )
        return made[-1]

    try:
        yield put
    finally:
        for number in made:
            with contextlib.suppress(HandoffError):  # closed already
                queue.abandon(number, "test", "the test is over")
        queue.close()
