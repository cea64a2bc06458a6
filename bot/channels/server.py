"""python -m bot.channels.server: the Rasa server (channels and HTTP API), as bot.run starts it.

Rasa's own pieces (``rasa.core.run``: the channels from credentials.yml, ``configure_app``,
``load_agent_on_start``), put together here rather than by ``rasa run`` because its command
line cannot give what Wayfinder needs:

- settings and secrets from the environment only: a command line is readable by every user
  of the machine (``ps``), and a generated secret starting with ``-`` would be read as a flag;
- the HTTP API behind a JWT in the ``Authorization`` header (HS256, see ``bot.rasa_auth``),
  with no plain token at all, so that nothing secret travels in a URL;
- CORS for the configured origins (``bot.config.allowed_origins``), not ``*``;
- requests of at most 1 MB, and ``nosniff`` and ``no-referrer`` on every answer.

Environment: WAYFINDER_HOST (127.0.0.1), WAYFINDER_RASA_PORT (5005), WAYFINDER_MODEL
(models/wayfinder.tar.gz), WAYFINDER_CREDENTIALS (credentials.yml), WAYFINDER_ENDPOINTS
(endpoints.yml), WAYFINDER_RASA_JWT_SECRET and WAYFINDER_ACTION_TOKEN (else var/ files),
WAYFINDER_ACTION_ENDPOINT (the action server on WAYFINDER_ACTIONS_PORT);
WAYFINDER_RASA_WORKERS (1) processes on the one port, which then share the lock store and
socket.io's rooms through WAYFINDER_REDIS_URL (``bot.workers``), unless endpoints.yml names a
lock store of its own.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import rasa.utils.io
import rasa.utils.tensorflow.environment as tf_env
from rasa.constants import ENV_SANIC_BACKLOG
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import close_resources, configure_app, create_http_input_channels, load_agent_on_start
from rasa.core.utils import AvailableEndpoints
from rasa.utils.common import configure_logging_and_warnings, update_sanic_log_level
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.log_utils import configure_structlog
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import action_responses, dialogue_states, lean_models, timings
from bot.channels.action_requests import ActionEndpoint
from bot.channels.locks import AtomicRedisLockStore
from bot.channels.safety import harden_agent
from bot.config import PROJECT_ROOT, allowed_origins
from bot.logs import install_log_scrubbing
from bot.nlp import lean_ruler
from bot.rasa_auth import ACTION_TOKEN_ENV, JWT_ALGORITHM, action_server_token, rasa_jwt_secret
from bot.run import http_url, local_address
from bot.workers import RedisAddress, WorkersError, rasa_workers, redis_url

logger = logging.getLogger(__name__)

REQUEST_MAX_SIZE = 1_000_000
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _project_path(value: str) -> str:
    path = Path(value)
    return str(path if path.is_absolute() else PROJECT_ROOT / path)


@dataclass(frozen=True)
class ServerSettings:
    model: str
    host: str
    port: int
    credentials: str
    endpoints: str
    cors_origins: list[str]
    jwt_secret: str
    workers: int = 1
    redis_url: str | None = None

    @classmethod
    def from_environment(cls) -> ServerSettings:
        return cls(
            model=_project_path(os.environ.get("WAYFINDER_MODEL", "models/wayfinder.tar.gz")),
            host=os.environ.get("WAYFINDER_HOST", "127.0.0.1"),
            port=int(os.environ.get("WAYFINDER_RASA_PORT", "5005")),
            credentials=_project_path(os.environ.get("WAYFINDER_CREDENTIALS", "credentials.yml")),
            endpoints=_project_path(os.environ.get("WAYFINDER_ENDPOINTS", "endpoints.yml")),
            cors_origins=allowed_origins(),
            jwt_secret=rasa_jwt_secret(),
            workers=rasa_workers(),
            redis_url=redis_url(),
        )


def _action_server_environment(host: str) -> None:
    """endpoints.yml reads the action server's URL and token from the environment (``${VAR}``);
    started on its own, this server finds them the way bot.run would give them."""
    os.environ.setdefault(ACTION_TOKEN_ENV, action_server_token())
    port = int(os.environ.get("WAYFINDER_ACTIONS_PORT", "5055"))
    os.environ.setdefault("WAYFINDER_ACTION_ENDPOINT", f"{http_url(local_address(host), port)}/webhook")


def harden(app: Sanic) -> None:
    """A request limit and response headers on every route, Rasa's and the channels' alike."""
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE

    @app.middleware("response")
    async def security_headers(_request: Request, response: HTTPResponse | None) -> None:
        # A websocket upgrade (socket.io) has no HTTP response to decorate.
        if response is not None:
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)


def read_endpoints(settings: ServerSettings) -> AvailableEndpoints:
    _action_server_environment(settings.host)
    endpoints = AvailableEndpoints.read_endpoints(settings.endpoints)
    if endpoints.action is not None:
        endpoints.action = ActionEndpoint.of(endpoints.action)
    if endpoints.lock_store is None and settings.redis_url:
        address = RedisAddress.from_url(settings.redis_url)
        endpoints.lock_store = AtomicRedisLockStore(**address.lock_store_settings())
    elif isinstance(endpoints.lock_store, EndpointConfig) and endpoints.lock_store.type == "redis":
        # Rasa's own would let two processes take the same ticket (bot/channels/locks.py).
        endpoints.lock_store = AtomicRedisLockStore(endpoints.lock_store)
    if settings.workers > 1 and lock_store_is_per_process(endpoints.lock_store):
        # Rasa would quietly run one process; two processes each with its own locks would
        # answer one conversation's messages at once, out of order.
        raise WorkersError(
            f"{settings.workers} Rasa processes need a lock store they share: set WAYFINDER_REDIS_URL "
            "(bot.run starts a Redis of its own when it is not set) or name one in endpoints.yml"
        )
    return endpoints


def lock_store_is_per_process(lock_store: EndpointConfig | Any | None) -> bool:
    if isinstance(lock_store, EndpointConfig):
        return lock_store.type in (None, "in_memory")
    return lock_store is None or isinstance(lock_store, InMemoryLockStore)


def create_app(settings: ServerSettings, endpoints: AvailableEndpoints) -> Sanic:
    """The Rasa server's app, as ``rasa.core.run.serve_application`` builds it, the agent loaded
    when the server starts; telemetry is left out."""
    app = configure_app(
        create_http_input_channels(None, settings.credentials),
        cors=settings.cors_origins,
        auth_token=None,
        enable_api=True,
        jwt_secret=settings.jwt_secret,
        jwt_method=JWT_ALGORITHM,
        port=settings.port,
        endpoints=endpoints,
    )
    harden(app)
    action_responses.install()
    dialogue_states.install()
    lean_ruler.install()
    lean_models.install()
    timings.install(app)
    app.register_listener(
        partial(load_agent_on_start, settings.model, endpoints, None), "before_server_start"
    )
    app.register_listener(harden_loaded_agent, "after_server_start")
    app.register_listener(flush_published_events, "before_server_stop")
    app.register_listener(close_resources, "after_server_stop")
    return app


async def flush_published_events(app: Sanic, _loop: Any) -> None:
    """The broker writes off the turn (bot/channels/publisher.py): what is waiting is written
    before the server stops, so that the console's feed stays whole."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)  # Rasa's fail-safe wrapper
    flush = getattr(getattr(store, "event_broker", None), "flush", None)  # shares the store's broker
    if flush is not None and not await asyncio.to_thread(flush, 10.0):
        logger.error("event broker: events were still waiting when the server stopped")


async def harden_loaded_agent(app: Sanic, _loop: Any) -> None:
    """Before the first request, the HTTP API's included (the console writes through it)."""
    if getattr(app.ctx, "agent", None) is not None:
        harden_agent(app.ctx.agent)


def configure_logging() -> None:
    """As the ``rasa`` command line does before ``rasa run``."""
    configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
    tf_env.setup_tf_environment()
    tf_env.check_deterministic_ops()
    rasa.utils.io.configure_colored_logging(None)
    configure_structlog(None)


def main() -> int:
    configure_logging()
    try:
        settings = ServerSettings.from_environment()
        endpoints = read_endpoints(settings)
    except WorkersError as error:
        logger.error(str(error))
        return 2
    app = create_app(settings, endpoints)
    update_sanic_log_level()
    # Only now: Sanic configures its own loggers when the app is made.
    install_log_scrubbing()
    logger.info(
        f"Starting Rasa server on {http_url(settings.host, settings.port)}"
        + (f" in {settings.workers} processes" if settings.workers > 1 else "")
    )
    app.run(
        host=settings.host,
        port=settings.port,
        backlog=int(os.environ.get(ENV_SANIC_BACKLOG, "100")),
        workers=settings.workers,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
