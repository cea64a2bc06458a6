"""The website chat widget's files and a demo page, as a Sanic blueprint.

Whichever service serves pages mounts ``widget_blueprint(socket_url)`` (the staff
console does; ``python -m bot.web`` serves it alone for trying and for tests):

- ``/widget/wayfinder.js`` and ``/widget/wayfinder.css``: the widget (``bot/web/widget/``), the
  script with its words in English and Spanish from the copy catalog (``data/copy/caller.yml``)
  in front of it;
- ``/widget/vendor/socket.io.min.js``: the socket.io client, from ``node_modules``
  (``npm ci`` at setup; it is never copied into the repository);
- ``/demo``: a page that embeds the widget, talking to the Rasa server at ``socket_url``.

Every answer carries the headers of ``bot.web.security``: the files ``nosniff`` with their
own content type (and no frame rules: other sites embed them), the demo page a
Content-Security-Policy that allows its one inline script by hash and lets it connect
to the Rasa server only.
"""

from __future__ import annotations

import json
from pathlib import Path

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.config import PROJECT_ROOT
from bot.copy import LANGUAGES, section
from bot.web.security import EVERY_RESPONSE, connect_sources, page_headers

WEB_DIR = Path(__file__).resolve().parent
WIDGET_DIR = WEB_DIR / "widget"
DEMO_PAGE = WEB_DIR / "demo.html"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKET_URL_PLACEHOLDER = '"__WAYFINDER_SOCKET_URL__"'
JAVASCRIPT = "text/javascript; charset=utf-8"
# Browsers should check for a newer widget on each load: it changes with the server it talks to.
NO_CACHE = {"Cache-Control": "no-cache"}
FILE_HEADERS = {**NO_CACHE, **EVERY_RESPONSE}


def script_string(value: object) -> str:
    """A JSON literal that cannot end the <script> element it is written into."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def widget_script_text() -> str:
    """The widget, with its words in every language from the copy catalog in front of it."""
    copy = {language: section("widget.", language) for language in LANGUAGES}
    return f"window.__wayfinderCopy = {script_string(copy)};\n" + (WIDGET_DIR / "wayfinder.js").read_text(
        encoding="utf-8"
    )


def demo_page(socket_url: str) -> str:
    return DEMO_PAGE.read_text(encoding="utf-8").replace(SOCKET_URL_PLACEHOLDER, script_string(socket_url))


def widget_blueprint(socket_url: str) -> Blueprint:
    """Routes for the widget's files and the demo page; ``socket_url`` is the Rasa server's base URL."""
    blueprint = Blueprint("wayfinder_widget")
    rasa_server = connect_sources(socket_url)

    @blueprint.get("/widget/wayfinder.js")
    async def widget_script(_request: Request) -> HTTPResponse:
        return response.text(widget_script_text(), content_type=JAVASCRIPT, headers=FILE_HEADERS)

    @blueprint.get("/widget/wayfinder.css")
    async def widget_style(_request: Request) -> HTTPResponse:
        return await response.file(
            WIDGET_DIR / "wayfinder.css", mime_type="text/css; charset=utf-8", headers=FILE_HEADERS
        )

    @blueprint.get("/widget/vendor/socket.io.min.js")
    async def socket_io_client(_request: Request) -> HTTPResponse:
        if not SOCKET_IO_CLIENT.is_file():
            return response.text(
                "The socket.io client is not installed: run `npm ci` in the project (make setup does).",
                status=404,
            )
        return await response.file(SOCKET_IO_CLIENT, mime_type=JAVASCRIPT, headers=FILE_HEADERS)

    @blueprint.get("/demo")
    async def demo(_request: Request) -> HTTPResponse:
        page = demo_page(socket_url)
        return response.html(page, headers={**NO_CACHE, **page_headers(page, rasa_server)})

    return blueprint
