"""python -m bot.channels.action_server: the action server (``actions/``), as bot.run starts it.

rasa_sdk's own app (``rasa_sdk.endpoint.create_app``), with what ``rasa run actions`` does
not give: it listens on WAYFINDER_HOST (127.0.0.1 by default; rasa_sdk itself binds every
interface), and every route but ``/health`` requires ``Authorization: Bearer`` with the action
server token (``bot.rasa_auth``), which only the Rasa server sends (endpoints.yml). Without
it, anyone who reaches the port could run any action with a made-up tracker: queue handoffs,
sign people up, read the directory through them.

Environment: WAYFINDER_HOST (127.0.0.1), WAYFINDER_ACTIONS_PORT (5055), WAYFINDER_ACTION_TOKEN
(else var/action_server_token).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app as create_sdk_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.action_calls import (
    EVENTS_BEFORE,
    EVENTS_CHECK,
    EVENTS_HELD,
    UNKNOWN_EVENTS,
    HeldConversations,
    call_events,
)
from bot.identity import bearer_token
from bot.logs import forget_in_logs, install_log_scrubbing
from bot.rasa_auth import action_server_token
from bot.run import http_url

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"
OPEN_PATHS = frozenset({"/health"})


def require_token(app: Sanic, token: str) -> None:
    """Every route but the health check answers 401 without the token."""
    expected = token.encode()

    @app.middleware("request")
    async def authenticate(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if hmac.compare_digest(bearer_token(request.headers.get("Authorization")).encode(), expected):
            return None
        return response.json({"error": "not authenticated"}, status=401)


def forget_callers_words(app: Sanic) -> None:
    """Actions see the caller's latest message; whatever an action or rasa_sdk logs, not its words."""

    @app.middleware("request")
    async def remember_to_redact(request: Request) -> None:
        if request.path != "/webhook":
            return
        try:
            latest = ((request.json or {}).get("tracker") or {}).get("latest_message") or {}
        except Exception:  # a body that is not JSON: rasa_sdk answers it
            return
        text = latest.get("text")
        if isinstance(text, str):
            forget_in_logs(text)


def take_calls_in_parts(app: Sanic, held: HeldConversations) -> None:
    """A call that sends only the new events gets the whole conversation back before any action
    sees it, or 409 (send it whole) when this server does not hold what came before. An answer
    says when the server holds the conversation's events (``EVENTS_HELD``): a Rasa server sends
    in parts only to an action server that said so, never to one that would not put them together."""

    @app.middleware("request")
    async def put_together(request: Request) -> HTTPResponse | None:
        if request.path != "/webhook" or request.method != "POST":
            return None
        try:
            call = request.json
        except Exception:  # a body that is not JSON: rasa_sdk answers it
            return None
        events = call_events(call)
        if events is None:
            return None
        if EVENTS_BEFORE in call:
            before, check = call.pop(EVENTS_BEFORE), call.pop(EVENTS_CHECK, None)
            whole = held.put_together(call["sender_id"], before, check, events)
            if whole is None:
                return response.json({"error": "send the whole conversation"}, status=UNKNOWN_EVENTS)
            call["tracker"]["events"] = events = whole
        request.ctx.events_held = held.hold(call["sender_id"], events)
        return None

    @app.middleware("response")
    async def say_held(request: Request, answer: HTTPResponse) -> HTTPResponse | None:
        if not getattr(request.ctx, "events_held", False) or answer.status != 200:
            return None
        try:
            body = json.loads(answer.body)
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        return response.json({**body, EVENTS_HELD: True}, status=answer.status)


def create_app(token: str, package: str = ACTIONS_PACKAGE) -> Sanic:
    """rasa_sdk's app over ``actions/``, behind the token. Registering the package imports every
    action module before the first request."""
    # No CORS: no browser has any business here.
    app = create_sdk_app(package, cors_origins=None)
    require_token(app, token)
    forget_callers_words(app)
    take_calls_in_parts(app, HeldConversations())
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def configure_logging() -> None:
    """As ``rasa run actions`` does (rasa_sdk.__main__.main_from_args)."""
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()


def keep_tensorflow_out() -> None:
    """No action needs TensorFlow, and none imports spaCy (the crisis actions answer from the NLU's
    report, ``bot.safety.finding``), which would bring it in through thinc: that took this process
    from about 490 MB to 850 MB. A guard for any later import: a module set to None is one Python
    will not import. Only here, in the action server's own process: never in one that runs Rasa."""
    sys.modules.setdefault("tensorflow", None)


def main() -> int:
    keep_tensorflow_out()
    configure_logging()
    install_log_scrubbing()
    host = os.environ.get("WAYFINDER_HOST", "127.0.0.1")
    port = int(os.environ.get("WAYFINDER_ACTIONS_PORT", "5055"))
    app = create_app(action_server_token())
    logger.info(f"Action server on {http_url(host, port)}")
    app.run(host, port, workers=utils.number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
