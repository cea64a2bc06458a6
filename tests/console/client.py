"""Talking to the real console over HTTP as a browser would: a cookie session and the CSRF header."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import requests
import sqlalchemy as sa

from bot.console.accounts import Accounts
from tests.assistant import Assistant

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
        handoffs = self.get("/api/queue").json()["handoffs"]
        return next((h for h in handoffs if h["conversation_id"] == conversation_id), None)


def signed_in(assistant: Assistant, role: str = "advocate", name: str = "Sam") -> Console:
    console = Console(assistant.console_url)
    reply = console.sign_in(new_user(assistant, role, name))
    assert reply.status_code == 200, reply.text
    return console
