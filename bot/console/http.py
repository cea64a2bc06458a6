"""What every console route shares: JSON errors, request bodies, origins, the signed-in advocate."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import PROJECT_ROOT
from bot.handoff.desk import Advocate

PAGES = PROJECT_ROOT / "bot" / "web" / "console"
COOKIE = "wf_console"


class BadRequest(ValueError):
    """A request the console cannot read; the message says why (HTTP 400)."""


def error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers)


def body_of(request: Request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the body must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def plain(row: dict) -> dict:
    """A record as JSON can carry it: times as ISO 8601."""
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row.items()}


def page(name: str) -> HTTPResponse:
    return response.html((PAGES / name).read_text(encoding="utf-8"))


def advocate(request: Request) -> Advocate:
    """The signed-in user as the handoff desk knows them."""
    user = request.ctx.session.user
    return Advocate(user.username, user.display_name, can_take_over=user.can("take_over"))


def origin_of(url: str) -> str:
    """scheme://host[:port] as browsers send it in Origin: lowercase, no default port, no path."""
    parts = urlsplit(url.strip().lower())
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def from_own_page(request: Request, public_origins: Iterable[str]) -> bool:
    """Whether a browser request comes from the console's own pages.

    Its Origin must be one of the console's public URLs (bot.config.console_public_urls),
    or its loopback address at the port this server really listens on (from the socket,
    so ``--port`` works without WAYFINDER_CONSOLE_PORT). Never the Host header: the sender
    writes that, so an attacker's page reached through DNS rebinding would match itself.
    Without an Origin (same-origin GETs, clients that are not browsers) there is no
    cross-site page to refuse.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    origin = origin_of(origin)
    if origin and origin in public_origins:
        return True
    port = request.conn_info.server_port if request.conn_info is not None else 0
    return bool(port) and origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}")


def client_address(request: Request) -> str:
    """The client's address: from forwarding headers only when Sanic is told to trust a proxy
    (SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER or SANIC_FORWARDED_SECRET), else the socket's peer."""
    return request.remote_addr or request.ip or "unknown"
