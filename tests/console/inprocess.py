"""The console app in this process, over SQLite and the fake conversations: its HTTP API through
Sanic's ASGI test client, with a signed-in cookie and the CSRF header as a browser sends them.
Milliseconds per request, no Rasa server; the end-to-end tests beside this cover the real path."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from bot.console.accounts import Accounts
from bot.console.app import ConsoleSettings, create_app
from bot.directory import Directory
from tests.fakes.conversations import FakeConversations

PASSWORD = "correct horse battery"


@dataclass
class Reply:
    status: int
    body: dict


@dataclass
class Browser:
    """One signed-in (or anonymous) browser: its own cookie jar and CSRF token."""

    app: object
    csrf: str = ""
    cookies: dict = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict | None = None, csrf: bool = True, **headers
    ) -> Reply:
        if method != "GET" and csrf:
            headers["X-CSRF-Token"] = self.csrf

        async def call():
            client = self.app.asgi_client
            client.cookies.clear()
            client.cookies.update(self.cookies)
            kwargs = {"headers": headers, "cookies": self.cookies}
            if method != "GET":
                kwargs["json"] = body or {}
            _request, response = await client.request(method, path, **kwargs)
            return response

        response = asyncio.run(call())
        for name, value in response.cookies.items():
            self.cookies[name] = value
        # sanic-testing's response carries the decoded body as an attribute (None when not JSON).
        payload = response.json if response.json is not None else {"text": response.text}
        return Reply(response.status, payload if isinstance(payload, dict) else {"list": payload})

    def get(self, path: str, **params) -> Reply:
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return self.request("GET", path + (f"?{query}" if query else ""))

    def post(self, path: str, body: dict | None = None, **kwargs) -> Reply:
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body: dict | None = None, **kwargs) -> Reply:
        return self.request("PUT", path, body, **kwargs)


@dataclass
class InProcessConsole:
    app: object
    conversations: FakeConversations
    accounts: Accounts

    @classmethod
    def build(cls, tmp_path) -> InProcessConsole:
        url = f"sqlite:///{tmp_path / 'console.sqlite3'}"
        conversations = FakeConversations()
        settings = ConsoleSettings(rasa_url="http://127.0.0.1:9", rasa_token="unused", secure_cookies=False)
        app = create_app(
            settings,
            conversations=conversations,
            database_url=url,
            directory=Directory(f"sqlite:///{tmp_path / 'directory.sqlite3'}"),
            name=f"console_{uuid.uuid4().hex[:12]}",
            background=False,
        )
        return cls(app, conversations, app.ctx.accounts)

    @property
    def queue(self):
        return self.app.ctx.queue

    def user(self, role: str = "advocate", name: str = "Sam") -> str:
        username = f"{role[:3]}{uuid.uuid4().hex[:8]}"
        self.accounts.add_user(username, PASSWORD, role, name)
        return username

    def anonymous(self) -> Browser:
        return Browser(self.app)

    def signed_in(self, role: str = "advocate", name: str = "Sam") -> tuple[Browser, str]:
        username = self.user(role, name)
        browser = Browser(self.app)
        reply = browser.post("/api/login", {"username": username, "password": PASSWORD}, csrf=False)
        assert reply.status == 200, reply.body
        browser.csrf = reply.body["csrf_token"]
        return browser, username
