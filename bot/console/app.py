"""The staff console: a Sanic app with the advocates' pages, their JSON API and a live websocket.

See docs/console.md for the routes, the roles and how it follows the assistant. The
console holds no conversation state of its own: records live in the handoff queue, the
steps on them are the handoff desk's (bot.handoff.desk), messages live in the
assistant's conversations (bot.handoff.conversations). Each area of the API is a
blueprint in ``bot/console/routes/``; what they share is in ``app.ctx``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from sanic import Sanic

from bot.config import console_public_urls, events_database_url
from bot.console.accounts import Accounts, SignInLimits, SignInThrottle
from bot.console.canned import CannedReplies
from bot.console.feed import LiveFeed
from bot.console.http import origin_of
from bot.console.live import Live
from bot.console.records import RecordView
from bot.console.routes import auth, handoffs, history, live, staff
from bot.console.routes import directory as directory_search
from bot.console.upkeep import Upkeep
from bot.directory import Directory
from bot.directory.api import hsds_blueprint
from bot.handoff import HandoffQueue
from bot.handoff.audit import AuditLog
from bot.handoff.conversations import Conversations
from bot.handoff.desk import HandoffDesk
from bot.handoff.presence import Presence
from bot.handoff.rasa_conversations import RasaConversations
from bot.web import widget_blueprint
from bot.web.security import add_security_headers


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class ConsoleSettings:
    rasa_url: str
    rasa_token: str
    # The Rasa server as callers' browsers reach it (the widget's socket.io), when not rasa_url.
    public_rasa_url: str = ""
    secure_cookies: bool = True
    session_hours: float = 12.0
    advocate_idle: timedelta = timedelta(minutes=15)
    advocate_gone: timedelta = timedelta(seconds=90)
    caller_gone: timedelta = timedelta(minutes=30)
    poll_seconds: float = 0.3
    upkeep_seconds: float = 15.0
    # How often an open live connection checks that its session still holds.
    live_check_seconds: float = 5.0
    sign_in: SignInLimits = field(default_factory=SignInLimits)

    @classmethod
    def from_environment(cls, rasa_url: str, rasa_token: str) -> ConsoleSettings:
        return cls(
            rasa_url=rasa_url,
            rasa_token=rasa_token,
            public_rasa_url=os.environ.get("WAYFINDER_PUBLIC_RASA_URL", ""),
            secure_cookies=os.environ.get("WAYFINDER_CONSOLE_INSECURE_COOKIES", "")
            not in ("1", "true", "yes"),
            session_hours=_env_float("WAYFINDER_CONSOLE_SESSION_HOURS", 12),
            advocate_idle=timedelta(minutes=_env_float("WAYFINDER_ADVOCATE_IDLE_MINUTES", 15)),
            advocate_gone=timedelta(seconds=_env_float("WAYFINDER_ADVOCATE_GONE_SECONDS", 90)),
            caller_gone=timedelta(minutes=_env_float("WAYFINDER_CALLER_GONE_MINUTES", 30)),
            upkeep_seconds=_env_float("WAYFINDER_CONSOLE_UPKEEP_SECONDS", 15),
            live_check_seconds=_env_float("WAYFINDER_CONSOLE_LIVE_CHECK_SECONDS", 5),
            sign_in=SignInLimits.from_environment(),
        )


def create_app(
    settings: ConsoleSettings,
    conversations: Conversations | None = None,
    database_url: str | None = None,
    directory: Directory | None = None,
    name: str = "wayfinder_console",
    background: bool = True,
) -> Sanic:
    """The console over ``conversations`` (the Rasa server at settings.rasa_url by default) and the
    app database at ``database_url``; ``background=False`` leaves out the live follower and upkeep."""
    app = Sanic(name)
    app.config.WEBSOCKET_PING_INTERVAL = 20
    app.config.WEBSOCKET_PING_TIMEOUT = 20
    # The largest body the console takes is a 2,000-character message; Sanic's default is 100 MB.
    app.config.REQUEST_MAX_SIZE = 64 * 1024

    ctx = app.ctx
    ctx.settings = settings
    ctx.queue = HandoffQueue.open(database_url)
    ctx.accounts = Accounts.open(database_url, session_hours=settings.session_hours)
    ctx.canned = CannedReplies.open(database_url)
    ctx.audit = AuditLog.open(database_url)
    ctx.presence = Presence.open(database_url)
    ctx.directory = directory or Directory()
    ctx.conversations = conversations or RasaConversations(
        settings.rasa_url, settings.rasa_token, events_database_url()
    )
    ctx.view = RecordView(ctx.accounts, ctx.directory.taxonomy)
    ctx.desk = HandoffDesk(ctx.queue, ctx.conversations, display_name=ctx.view.name_of)
    ctx.live = Live()
    ctx.throttle = SignInThrottle(settings.sign_in)
    ctx.public_origins = frozenset(filter(None, map(origin_of, console_public_urls())))
    ctx.feed = LiveFeed(
        ctx.desk, ctx.live, ctx.view, ctx.presence, ctx.conversations.follow, settings.poll_seconds
    )
    ctx.upkeep = Upkeep(ctx.desk, ctx.live, ctx.presence, ctx.feed, settings)

    app.blueprint(hsds_blueprint(ctx.directory))
    app.blueprint(widget_blueprint(settings.public_rasa_url or settings.rasa_url))
    for area in (auth, handoffs, live, directory_search, staff, history):
        app.blueprint(area.blueprint)
    app.on_request(auth.guard)

    @app.on_response
    async def security_headers(request, reply) -> None:
        add_security_headers(reply)
        if request.path.startswith("/api/"):
            reply.headers.setdefault("Cache-Control", "no-store")

    if background:

        @app.after_server_start
        async def start_background(app: Sanic, _loop: object) -> None:
            app.ctx.feed.start()
            app.ctx.upkeep.start()

    @app.before_server_stop
    async def stop_background(app: Sanic, _loop: object) -> None:
        await app.ctx.feed.stop()
        await app.ctx.upkeep.stop()
        await app.ctx.conversations.close()

    return app
