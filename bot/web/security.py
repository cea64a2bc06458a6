"""Security headers for what Wayfinder serves to browsers: the console's pages and API, the
widget's files and the demo page.

Every response says ``nosniff`` and sends no referrer (a caller's or advocate's page
address stays here). Every HTML page gets a Content-Security-Policy that runs only our
own scripts and styles (inline ones only by their SHA-256 hash, computed from the page
itself) and refuses to be framed. The widget's script and style sheet carry no frame
rules: other organisations' sites embed them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from sanic.response import HTTPResponse

EVERY_RESPONSE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
# JSON answers are data, never a document: nothing in one may load or run, nor be framed.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Inline <script> and <style> elements (never those with a src: those are files under 'self').
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """CSP hash sources of a page's inline scripts and inline styles."""
    scripts: list[str] = []
    styles: list[str] = []
    for tag, attributes, body in _INLINE.findall(html):
        if tag.lower() == "style":
            styles.append(_digest(body))
        elif not _SRC.search(" " + attributes):
            scripts.append(_digest(body))
    return scripts, styles


def connect_sources(url: str) -> list[str]:
    """What a page needs in connect-src to reach the server at ``url`` over HTTP and websockets
    (socket.io upgrades from polling to a websocket on the same host)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{socket_scheme}://{parts.netloc}"]


def page_policy(html: str, connect: Iterable[str] = ()) -> str:
    """The Content-Security-Policy of one HTML page; ``connect`` adds origins its scripts talk to."""
    scripts, styles = inline_hashes(html)
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *dict.fromkeys(scripts)]),
            " ".join(["style-src 'self'", *dict.fromkeys(styles)]),
            "img-src 'self' data:",
            " ".join(["connect-src 'self'", *dict.fromkeys(connect)]),
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def page_headers(html: str, connect: Iterable[str] = ()) -> dict[str, str]:
    """Every header an HTML page gets."""
    return {
        **EVERY_RESPONSE,
        "Content-Security-Policy": page_policy(html, connect),
        "X-Frame-Options": "DENY",
    }


def add_security_headers(reply: HTTPResponse) -> None:
    """Whatever of the rules above a response lacks (a handler's own headers are kept): for a
    server's response middleware, so error pages and static files are covered too."""
    for name, value in EVERY_RESPONSE.items():
        reply.headers.setdefault(name, value)
    content_type = (reply.content_type or "").lower()
    if content_type.startswith("text/html") and "content-security-policy" not in reply.headers:
        body = reply.body.decode("utf-8", "replace") if isinstance(reply.body, bytes) else ""
        for name, value in page_headers(body).items():
            reply.headers.setdefault(name, value)
    elif content_type.startswith("application/json"):
        reply.headers.setdefault("Content-Security-Policy", DATA_POLICY)
