"""Credentials between Wayfinder's own processes.

- Rasa's HTTP API takes a JWT (HS256) in the ``Authorization`` header, signed with
  ``var/rasa_jwt_secret`` (or ``WAYFINDER_RASA_JWT_SECRET``). Rasa only checks tokens and
  never issues them, so whoever holds the secret (the console, the tests) mints its own,
  short-lived ones. Nothing secret goes in a URL, where proxies, logs and browser history keep it.
- The action server takes ``Authorization: Bearer`` with ``var/action_server_token`` (or
  ``WAYFINDER_ACTION_TOKEN``), which only the Rasa server sends.
"""

from __future__ import annotations

import time

import jwt

from bot.config import secret

JWT_ALGORITHM = "HS256"
JWT_SECRET_FILE = "rasa_jwt_secret"
JWT_SECRET_ENV = "WAYFINDER_RASA_JWT_SECRET"
ACTION_TOKEN_FILE = "action_server_token"
ACTION_TOKEN_ENV = "WAYFINDER_ACTION_TOKEN"
# Every secret a child process may be given; bot.run hands each child only those it needs.
SECRET_ENVS = (JWT_SECRET_ENV, ACTION_TOKEN_ENV)


def rasa_jwt_secret() -> str:
    """The secret Rasa's HTTP API checks JWTs against."""
    return secret(JWT_SECRET_FILE, JWT_SECRET_ENV)


def action_server_token() -> str:
    """The bearer token the action server requires of the Rasa server."""
    return secret(ACTION_TOKEN_FILE, ACTION_TOKEN_ENV)


def admin_jwt(jwt_secret: str, lifetime_seconds: float = 300.0) -> str:
    """A JWT for Rasa's HTTP API with the admin role (every conversation), valid a few minutes:
    one that leaks is soon worthless."""
    claims = {
        "user": {"username": "wayfinder", "role": "admin"},
        "exp": int(time.time() + lifetime_seconds),
    }
    return jwt.encode(claims, jwt_secret, algorithm=JWT_ALGORITHM)


def rasa_api_headers(jwt_secret: str) -> dict[str, str]:
    """Headers that authenticate one call to Rasa's HTTP API."""
    return {"Authorization": f"Bearer {admin_jwt(jwt_secret)}"}
