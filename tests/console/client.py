"""Talking to the real console as a browser would: a cookie session and the CSRF header over
HTTP, and its live websocket."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import requests
import sqlalchemy as sa
import websockets

from bot import run
from bot.config import PROJECT_ROOT
from bot.console.accounts import Accounts
from tests.assistant import Assistant, rest_conversation_id

PASSWORD = "correct horse battery"


def accounts_of(assistant: Assistant) -> Accounts:
    return Accounts(sa.create_engine(f"sqlite:///{assistant.var_dir / 'wayfinder.sqlite3'}"))


def new_user(assistant: Assistant, role: str = "advocate", name: str = "Sam") -> str:
    username = f"{role[:3]}{uuid.uuid4().hex[:8]}"
    accounts = accounts_of(assistant)
    accounts.add_user(username, PASSWORD, role, name)
    accounts.engine.dispose()
    return username


@dataclass
class Console:
    base_url: str
    http: requests.Session = field(default_factory=requests.Session)
    csrf: str = ""

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        reply = self.http.post(
            f"{self.base_url}/api/login", json={"username": username, "password": password}
        )
        if reply.status_code == 200:
            self.csrf = reply.json()["csrf_token"]
        return reply

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(f"{self.base_url}{path}", params=params, timeout=30)

    def post(self, path: str, body: dict | None = None, csrf: bool = True, **headers) -> requests.Response:
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.http.post(f"{self.base_url}{path}", json=body or {}, headers=headers, timeout=60)

    def queued(self, conversation_id: str) -> dict | None:
        """The queue entry of a conversation: a widget or SMS id, or a REST test client's sender."""
        wanted = rest_conversation_id(conversation_id)
        handoffs = self.get("/api/queue").json()["handoffs"]
        return next((h for h in handoffs if h["conversation_id"] == wanted), None)


def signed_in(assistant: Assistant, role: str = "advocate", name: str = "Sam") -> Console:
    console = Console(assistant.console_url)
    reply = console.sign_in(new_user(assistant, role, name))
    assert reply.status_code == 200, reply.text
    return console


def start_console(assistant: Assistant, **env: str) -> Iterator[str]:
    """Another real console over the session's records and Rasa server, with settings of its own
    (fast clocks, sign-in thresholds) in ``env``; yields its URL (use with ``yield from``)."""
    port = run.free_port()
    env = {
        **run.quiet_environment(),
        "WAYFINDER_VAR_DIR": str(assistant.var_dir),
        "WAYFINDER_RASA_JWT_SECRET": assistant.jwt_secret,
        "WAYFINDER_CONSOLE_INSECURE_COOKIES": "1",
        # Its own URLs (the Origin check), as bot.run tells the consoles it starts.
        "WAYFINDER_CONSOLE_PORT": str(port),
        "WAYFINDER_CONSOLE_UPKEEP_SECONDS": "0.3",
        **env,
    }
    env.pop("WAYFINDER_DATABASE_URL", None)
    command = [sys.executable, "-m", "bot.console", "--port", str(port), "--rasa-url", assistant.api_url]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    try:
        run.wait_until_up(f"http://127.0.0.1:{port}/health", process, seconds=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


class LiveFeed:
    """The console's /api/live websocket read in a thread, messages in a queue."""

    def __init__(self, console: Console, origin: str | None = None) -> None:
        self.url = console.base_url.replace("http://", "ws://") + "/api/live"
        cookies = "; ".join(f"{c.name}={c.value}" for c in console.http.cookies)
        self.headers = {"Origin": origin or console.base_url, **({"Cookie": cookies} if cookies else {})}
        self.messages: queue.Queue = queue.Queue()
        self.opened = threading.Event()
        self.closed = threading.Event()
        self.close_code: int | None = None
        self.failure: Exception | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._read()), daemon=True)
        self.thread.start()

    async def _read(self) -> None:
        try:
            async with websockets.connect(self.url, extra_headers=self.headers) as ws:
                self.opened.set()
                try:
                    async for text in ws:
                        self.messages.put(json.loads(text))
                except websockets.ConnectionClosed:
                    pass
                self.close_code = ws.close_code
        except Exception as error:  # the test reads why
            self.failure = error
            self.opened.set()
        finally:
            self.closed.set()

    def next(self, check, timeout: float = 60.0) -> dict:
        while True:
            message = self.messages.get(timeout=timeout)
            if check(message):
                return message

    def wait_closed(self, timeout: float = 60.0) -> int | None:
        """The close code the server ended the connection with; fails if it is still open."""
        assert self.closed.wait(timeout), "the live connection is still open"
        return self.close_code
