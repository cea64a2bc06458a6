"""The staff console: a Sanic app with the advocates' pages, their JSON API and a live websocket.

See docs/console.md for the routes, the roles and how it follows Rasa. The
console holds no conversation state of its own: records live in the handoff
queue (bot.handoff), messages in Rasa's trackers, and new events arrive through
Rasa's event broker.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import mimetypes
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sanic import Sanic, response
from sanic.exceptions import WebsocketClosed
from sanic.request import Request
from sanic.response import HTTPResponse
from websockets.exceptions import ConnectionClosed

from bot.channels.signals import CALLER_LEFT, CALLER_TYPING
from bot.config import PROJECT_ROOT, console_public_urls, events_database_url
from bot.console.accounts import AccountError, Accounts, Session, SignInLimits, SignInThrottle
from bot.console.live import BrokerFollower, Live, is_crisis, listen_while, transcript, turn
from bot.console.rasa_api import RasaClient, RasaUnavailable
from bot.copy import DEFAULT_LANGUAGE, say
from bot.directory import Directory
from bot.directory.api import hsds_blueprint
from bot.directory.taxonomy import NEEDS
from bot.handoff import DISPOSITIONS, HandoffConflict, HandoffError, HandoffQueue
from bot.handoff.queue import OPEN_STATES, SYSTEM
from bot.handoff.summary import summary_line
from bot.limits import Decision
from bot.messages import AdvocateMessage, Card, Handoff, Payload, Referrals, plain_text
from bot.referral import SKIP, CallerNeeds, card, read_age, read_location
from bot.web import widget_blueprint
from bot.web.security import add_security_headers

logger = logging.getLogger(__name__)

PAGES = PROJECT_ROOT / "bot" / "web" / "console"
COOKIE = "wf_console"
MAX_MESSAGE_CHARS = 2000
HANDED_BACK_INTENT = "EXTERNAL_handed_back"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


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


def error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers)


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


def too_many(decision: Decision, lock_minutes: float) -> HTTPResponse:
    if decision.locked:
        message = f"Too many failed sign-ins: signing in is paused for up to {lock_minutes:g} minutes."
    else:
        seconds = decision.retry_after_header
        message = f"Too many failed sign-ins: try again in {seconds} second{'' if seconds == '1' else 's'}."
    return error(429, message, headers={"Retry-After": decision.retry_after_header})


# The console's own files, by name: nothing else under /static/console/ (no folders, no ..).
CONSOLE_FILES = {path.name: path for path in PAGES.iterdir() if path.is_file()}


def console_file(name: str) -> Path | None:
    return CONSOLE_FILES.get(name)


def content_type(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def plain(row: dict) -> dict:
    """A record as JSON can carry it: times as ISO 8601."""
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row.items()}


async def blocking(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Database work (synchronous SQLAlchemy) off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))


def caller_language(record: dict) -> str:
    """The language the caller writes in (the handoff's summary keeps it): what they are told in."""
    return (record["summary"] or {}).get("speaks") or DEFAULT_LANGUAGE


def create_app(
    settings: ConsoleSettings,
    queue: HandoffQueue | None = None,
    accounts: Accounts | None = None,
    directory: Directory | None = None,
    follower: BrokerFollower | None = None,
    name: str = "wayfinder_console",
) -> Sanic:
    app = Sanic(name)
    app.config.WEBSOCKET_PING_INTERVAL = 20
    app.config.WEBSOCKET_PING_TIMEOUT = 20
    # The largest body the console takes is a 2,000-character message; Sanic's default is 100 MB.
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    queue = queue or HandoffQueue.open()
    accounts = accounts or Accounts.open(session_hours=settings.session_hours)
    directory = directory or Directory()
    rasa = RasaClient(settings.rasa_url, settings.rasa_token)
    live = Live()
    throttle = SignInThrottle(settings.sign_in)
    public_origins = frozenset(filter(None, map(origin_of, console_public_urls())))
    app.ctx.queue, app.ctx.accounts, app.ctx.directory, app.ctx.rasa, app.ctx.live = (
        queue,
        accounts,
        directory,
        rasa,
        live,
    )

    app.blueprint(hsds_blueprint(directory))
    app.blueprint(widget_blueprint(settings.public_rasa_url or settings.rasa_url))

    @app.get("/static/console/<name:str>")
    async def console_static(request: Request, name: str) -> HTTPResponse:
        path = console_file(name)
        if path is None:
            return error(404, "not found")
        return await response.file(path, mime_type=content_type(path))

    def needs_line(summary: dict) -> str:
        return summary_line(summary, directory.taxonomy)

    names: dict[str, str] = {}

    def name_of(username: str | None) -> str | None:
        """An advocate's display name (what callers and colleagues see), not their sign-in name."""
        if username and username not in names:
            names.update({u["username"]: u["display_name"] for u in accounts.users()})
        return names.get(username, username) if username else None

    def public(record: dict) -> dict:
        now = datetime.now(timezone.utc)
        shown = plain(record)
        shown["holder_name"] = name_of(record["holder"])
        shown["needs_line"] = needs_line(record["summary"])
        # The language the caller writes in: the queue marks Spanish, and a Spanish speaker can sort by it.
        shown["language"] = caller_language(record)
        shown["wait_seconds"] = int((now - record["requested_at"]).total_seconds())
        return shown

    # -- sign-in, sessions, CSRF ----------------------------------------------------

    def session_of(request: Request) -> Session | None:
        return accounts.session(request.cookies.get(COOKIE))

    def same_origin(request: Request) -> bool:
        return from_own_page(request, public_origins)

    @app.on_request
    async def guard(request: Request) -> HTTPResponse | None:
        path = request.path
        request.ctx.session = None
        if not path.startswith("/api/") or path.startswith("/api/hsds"):
            return None
        if path == "/api/login":
            # Cross-site forms cannot send JSON; with the Origin check there is no login CSRF.
            if not same_origin(request):
                return error(403, "sign-in must come from the console's own page")
            return None
        request.ctx.session = await blocking(session_of, request)
        if request.ctx.session is None:
            return error(401, "sign in first")
        if path == "/api/live" and not same_origin(request):
            return error(403, "the live connection must come from the console's own page")
        if request.method in UNSAFE_METHODS:
            if not same_origin(request):
                return error(403, "requests must come from the console's own page")
            sent = request.headers.get("x-csrf-token") or ""
            if not secrets.compare_digest(sent.encode(), request.ctx.session.csrf_token.encode()):
                return error(403, "missing or wrong CSRF token; reload the page")
        return None

    @app.on_response
    async def security_headers(request: Request, reply: HTTPResponse) -> None:
        add_security_headers(reply)
        if request.path.startswith("/api/"):
            reply.headers.setdefault("Cache-Control", "no-store")

    def body_of(request: Request) -> dict:
        try:
            body = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise AccountError("the body must be JSON") from None
        if not isinstance(body, dict):
            raise AccountError("the body must be a JSON object")
        return body

    def page(name: str) -> HTTPResponse:
        return response.html((PAGES / name).read_text(encoding="utf-8"))

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        if await blocking(session_of, request) is None:
            return response.redirect("/login")
        return page("index.html")

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        return page("login.html")

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.post("/api/login")
    async def login(request: Request) -> HTTPResponse:
        try:
            body = body_of(request)
        except AccountError as problem:
            return error(400, str(problem))
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
            return error(400, "send a username and a password")
        address = client_address(request)
        # Asked before the password is checked: a right password during a lockout is refused too.
        allowed = throttle.begin(username, address)
        if not allowed.allowed:
            return too_many(allowed, settings.sign_in.lock_minutes)
        try:
            user = await blocking(accounts.authenticate, username, password)
        except BaseException:
            throttle.ended(username, address)
            raise
        if user is None:
            locked = throttle.failed(username, address)
            await record_failed_sign_in(username, address, locked)
            return error(401, "wrong username or password")
        throttle.succeeded(username, address)
        token, started = await blocking(accounts.start_session, user)
        await blocking(queue.record, user.username, "signed_in")
        reply = response.json({"user": user.public(), "csrf_token": started.csrf_token})
        reply.cookies[COOKIE] = token
        cookie = reply.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["secure"] = settings.secure_cookies
        cookie["path"] = "/"
        cookie["max-age"] = int(settings.session_hours * 3600)
        return reply

    async def record_failed_sign_in(username: str, address: str, locked: list[str]) -> None:
        actor = (username or "")[:64]
        await blocking(queue.record, actor, "sign_in_failed", {"address": address})
        for limit in locked:
            await blocking(
                queue.record,
                actor,
                "sign_in_locked",
                {"by": limit, "address": address, "minutes": settings.sign_in.lock_minutes},
            )

    @app.post("/api/logout")
    async def logout(request: Request) -> HTTPResponse:
        token = request.cookies.get(COOKIE)
        await blocking(accounts.end_session, token)
        await live.end_session(token)
        await blocking(queue.record, request.ctx.session.user.username, "signed_out")
        reply = response.json({"signed_out": True})
        del reply.cookies[COOKIE]
        return reply

    @app.get("/api/me")
    async def me(request: Request) -> HTTPResponse:
        session = request.ctx.session
        return response.json(
            {
                "user": session.user.public(),
                "csrf_token": session.csrf_token,
                "permissions": sorted(session.user.permissions),
                "dispositions": list(DISPOSITIONS),
            }
        )

    # -- accounts (admins) -------------------------------------------------------------

    @app.get("/api/users")
    async def users(request: Request) -> HTTPResponse:
        if not request.ctx.session.user.can("manage_users"):
            return error(403, "only admins manage accounts")
        return response.json({"users": await blocking(accounts.users)})

    @app.post("/api/users/<username:str>/disable")
    async def disable_user(request: Request, username: str) -> HTTPResponse:
        admin = request.ctx.session.user
        if not admin.can("manage_users"):
            return error(403, "only admins manage accounts")
        try:
            await blocking(accounts.set_active, username, False)
        except AccountError as problem:
            return error(404, str(problem))
        # Its sessions are gone from the database; its open live feeds end now, not at their next check.
        await live.end_user(username)
        await blocking(queue.record, admin.username, "user_disabled", {"username": username})
        return response.json({"disabled": username})

    # -- the queue and a conversation -----------------------------------------------

    @app.get("/api/queue")
    async def queue_list(request: Request) -> HTTPResponse:
        return response.json({"handoffs": [public(r) for r in await blocking(queue.active)]})

    async def find_record(handoff_id: int) -> dict | None:
        return await blocking(queue.get, handoff_id)

    @app.get("/api/handoffs/<handoff_id:int>")
    async def handoff_view(request: Request, handoff_id: int) -> HTTPResponse:
        record = await find_record(handoff_id)
        if record is None:
            return error(404, "no such conversation in the queue")
        try:
            tracker = await rasa.tracker(record["conversation_id"])
            turns = transcript(tracker.get("events") or [])
        except RasaUnavailable as problem:
            logger.warning("transcript unavailable: %s", problem)
            turns = []
        notes = [plain(n) for n in await blocking(queue.notes, handoff_id)]
        return response.json({"handoff": public(record), "transcript": turns, "notes": notes})

    def acting(
        handler: Callable[[Request, dict, Any], Awaitable[HTTPResponse]],
    ) -> Callable[[Request, int], Awaitable[HTTPResponse]]:
        """Load the record, and turn the queue's refusals into clear HTTP answers."""

        @functools.wraps(handler)
        async def wrapper(request: Request, handoff_id: int) -> HTTPResponse:
            record = await find_record(handoff_id)
            if record is None:
                return error(404, "no such conversation in the queue")
            try:
                result = await handler(request, record, request.ctx.session.user)
            except HandoffConflict as problem:
                return error(409, str(problem))
            except (HandoffError, AccountError) as problem:
                return error(400, str(problem))
            except RasaUnavailable as problem:
                logger.warning("Rasa call failed: %s", problem)
                return error(502, "the assistant's server did not take it; try again in a moment")
            await refresh_queue()
            return result

        return wrapper

    def advocate_metadata(user: Any) -> dict:
        # Rasa merges a bot event's metadata into the message every channel gets (the REST outbox
        # keeps it whole): the name callers see, never the advocate's sign-in name.
        return {"advocate_name": user.display_name}

    async def tell_caller(record: dict, user: Any | None, text: str, payload: Payload) -> None:
        await rasa.say(
            record["conversation_id"], text, payload.to_json(), advocate_metadata(user) if user else {}
        )

    @app.post("/api/handoffs/<handoff_id:int>/claim")
    @acting
    async def claim(request: Request, record: dict, user: Any) -> HTTPResponse:
        if record["state"] == "with_advocate" and record["holder"] == user.username:
            return response.json({"handoff": public(record)})
        if record["state"] == "with_advocate":
            return error(409, f"{name_of(record['holder'])} has already taken this conversation")
        was_paused = record["paused"]
        claimed = await blocking(queue.claim, record["id"], user.username)
        if not was_paused:
            # The assistant was still answering (crisis, advocacy intake); from now on only the advocate does.
            await rasa.pause(record["conversation_id"])
        language = caller_language(record)
        await tell_caller(
            record,
            user,
            say("handoff.joined", language, advocate=user.display_name),
            Handoff(language=language, state="with_advocate", advocate=user.display_name),
        )
        return response.json({"handoff": public(claimed)})

    @app.post("/api/handoffs/<handoff_id:int>/release")
    @acting
    async def release(request: Request, record: dict, user: Any) -> HTTPResponse:
        if record["holder"] != user.username and not user.can("take_over"):
            return error(
                403, f"{name_of(record['holder'])} holds this conversation; a supervisor can release it"
            )
        why = (
            "released by the advocate"
            if record["holder"] == user.username
            else f"taken back by {user.username}"
        )
        released = await blocking(queue.release, record["id"], user.username, why)
        await tell_still_in_line(released)
        return response.json({"handoff": public(released)})

    async def tell_still_in_line(record: dict) -> None:
        position = await blocking(queue.position, record["id"])
        language = caller_language(record)
        await tell_caller(
            record,
            None,
            say("handoff.stepped_away", language, position=position),
            Handoff(language=language, state="waiting", position=position),
        )

    @app.post("/api/handoffs/<handoff_id:int>/messages")
    @acting
    async def send_message(request: Request, record: dict, user: Any) -> HTTPResponse:
        text = str(body_of(request).get("text") or "").strip()
        if not text:
            return error(400, "write a message first")
        if len(text) > MAX_MESSAGE_CHARS:
            return error(400, f"a message holds at most {MAX_MESSAGE_CHARS} characters")
        if record["state"] != "with_advocate" or record["holder"] != user.username:
            return error(409, "claim this conversation before writing to the caller")
        await tell_caller(
            record,
            user,
            text,
            AdvocateMessage(language=caller_language(record), advocate=user.display_name),
        )
        updated = await blocking(queue.advocate_spoke, record["id"], user.username)
        return response.json({"handoff": public(updated), "sent": True})

    @app.post("/api/handoffs/<handoff_id:int>/referral")
    @acting
    async def send_referral(request: Request, record: dict, user: Any) -> HTTPResponse:
        body = body_of(request)
        service_id = str(body.get("service_id") or "")
        query = body.get("query") if isinstance(body.get("query"), dict) else {}
        if record["state"] != "with_advocate" or record["holder"] != user.username:
            return error(409, "claim this conversation before sending the caller anything")
        found, problem = await blocking(search_cards, query, 50)
        if problem:
            return error(400, problem)
        chosen = next((c for c in found["results"] if c["id"] == service_id), None)
        if chosen is None:
            return error(404, "that service is not among this search's results any more; search again")
        language = caller_language(record)
        referral = Referrals(
            language=language,
            intro=say("handoff.sent_service", language, advocate=user.display_name),
            services=(Card.from_json(chosen, 1),),
        )
        await tell_caller(record, user, plain_text(referral), referral)
        await blocking(queue.advocate_spoke, record["id"], user.username)
        return response.json({"sent": True, "service": chosen})

    @app.post("/api/handoffs/<handoff_id:int>/notes")
    @acting
    async def add_note(request: Request, record: dict, user: Any) -> HTTPResponse:
        added = await blocking(
            queue.add_note, record["id"], user.username, str(body_of(request).get("text") or "")
        )
        return response.json({"note": plain(added)})

    @app.post("/api/handoffs/<handoff_id:int>/hand-back")
    @acting
    async def hand_back(request: Request, record: dict, user: Any) -> HTTPResponse:
        returned = await blocking(queue.hand_back, record["id"], user.username)
        await back_to_assistant(record)
        return response.json({"handoff": public(returned)})

    async def back_to_assistant(record: dict) -> None:
        await rasa.resume(record["conversation_id"])
        await rasa.trigger_intent(record["conversation_id"], HANDED_BACK_INTENT)

    @app.post("/api/handoffs/<handoff_id:int>/resolve")
    @acting
    async def resolve(request: Request, record: dict, user: Any) -> HTTPResponse:
        disposition = str(body_of(request).get("disposition") or "")
        if disposition not in DISPOSITIONS:
            return error(400, f"choose a disposition: {', '.join(DISPOSITIONS)}")
        if record["state"] == "with_advocate" and record["holder"] != user.username:
            return error(409, f"{name_of(record['holder'])} holds this conversation")
        resolved = await blocking(queue.resolve, record["id"], user.username, disposition)
        if record["paused"]:
            if record["state"] == "with_advocate":
                language = caller_language(record)
                await tell_caller(
                    record,
                    user,
                    say("handoff.closed", language, advocate=user.display_name),
                    Handoff(language=language, state="resolved", advocate=user.display_name),
                )
            await back_to_assistant(record)
        return response.json({"handoff": public(resolved)})

    # -- history, directory, canned responses, callbacks, audit ---------------------

    def day(value: str | None, name: str) -> datetime | None:
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            raise AccountError(f"'{name}' must be a date like 2026-11-28") from None

    @app.get("/api/history")
    async def history(request: Request) -> HTTPResponse:
        try:
            since = day(request.args.get("since"), "since")
            until = day(request.args.get("until"), "until")
        except AccountError as problem:
            return error(400, str(problem))
        disposition = request.args.get("disposition") or None
        if disposition and disposition not in DISPOSITIONS:
            return error(400, f"unknown disposition; one of {', '.join(DISPOSITIONS)}")
        records = await blocking(
            queue.history,
            since=since,
            until=until + timedelta(days=1) if until else None,
            need=request.args.get("need") or None,
            disposition=disposition,
            advocate=request.args.get("advocate") or None,
        )
        return response.json({"handoffs": [public(r) for r in records]})

    @app.get("/api/directory/needs")
    async def needs(request: Request) -> HTTPResponse:
        taxonomy = directory.taxonomy
        terms = [taxonomy.term(NEEDS, code) for code in taxonomy.codes(NEEDS)]
        return response.json(
            sorted(({"code": t.code, "name": t.name} for t in terms), key=lambda t: t["name"])
        )

    def search_cards(query: dict, limit: int = 10) -> tuple[dict, str | None]:
        needs = CallerNeeds(need=query.get("need") or None, payment=query.get("payment") or None)
        location = str(query.get("location") or "").strip()
        if location:
            place = read_location(directory, location)
            if place.problem:
                return {}, place.problem
            needs = replace(needs, location=place.value)
        if query.get("age") not in (None, ""):
            age = read_age(str(query["age"]))
            if age.problem:
                return {}, age.problem
            needs = replace(needs, age=int(age.value) if age.value != SKIP else None)
        found = directory.search(needs.query(limit))
        cards = [card(result, number).to_json() for number, result in enumerate(found.results, 1)]
        return {"results": cards, "notices": list(found.notices)}, None

    @app.get("/api/directory/search")
    async def directory_search(request: Request) -> HTTPResponse:
        query = {key: request.args.get(key) for key in ("need", "location", "payment", "age")}
        found, problem = await blocking(search_cards, query)
        if problem:
            return error(400, problem)
        return response.json(found)

    @app.get("/api/canned")
    async def canned_list(request: Request) -> HTTPResponse:
        return response.json({"canned": await blocking(accounts.canned_responses)})

    async def canned_change(request: Request, canned_id: int | None, delete: bool = False) -> HTTPResponse:
        user = request.ctx.session.user
        if not user.can("manage_canned"):
            return error(403, "only supervisors and admins manage canned responses")
        try:
            if delete:
                await blocking(accounts.delete_canned, canned_id)
                saved = {"id": canned_id, "deleted": True}
            else:
                body = body_of(request)
                saved = await blocking(
                    accounts.save_canned, user.username, body.get("title"), body.get("text"), canned_id
                )
        except AccountError as problem:
            return error(400, str(problem))
        await blocking(
            queue.record,
            user.username,
            "canned_deleted" if delete else "canned_saved",
            {"canned": saved["id"]},
        )
        return response.json({"canned": saved})

    @app.post("/api/canned")
    async def canned_add(request: Request) -> HTTPResponse:
        return await canned_change(request, None)

    @app.put("/api/canned/<canned_id:int>")
    async def canned_edit(request: Request, canned_id: int) -> HTTPResponse:
        return await canned_change(request, canned_id)

    @app.delete("/api/canned/<canned_id:int>")
    async def canned_delete(request: Request, canned_id: int) -> HTTPResponse:
        return await canned_change(request, canned_id, delete=True)

    @app.get("/api/callbacks")
    async def callbacks(request: Request) -> HTTPResponse:
        rows = await blocking(queue.callbacks)
        return response.json({"callbacks": [plain(row) for row in rows]})

    @app.post("/api/callbacks/<callback_id:int>/done")
    async def callback_done(request: Request, callback_id: int) -> HTTPResponse:
        try:
            await blocking(queue.callback_done, callback_id, request.ctx.session.user.username)
        except HandoffError as problem:
            return error(400, str(problem))
        return response.json({"done": True})

    @app.get("/api/audit")
    async def audit(request: Request) -> HTTPResponse:
        if not request.ctx.session.user.can("read_audit"):
            return error(403, "only supervisors and admins read the audit log")
        handoff_id = request.args.get("handoff_id")
        if handoff_id is not None and not handoff_id.isdigit():
            return error(400, "'handoff_id' must be a number")
        rows = await blocking(queue.audit_log, int(handoff_id) if handoff_id else None)
        return response.json({"audit": [plain(row) for row in rows]})

    # -- live -----------------------------------------------------------------------

    @app.websocket("/api/live")
    async def live_socket(request: Request, ws: Any) -> None:
        token = request.cookies.get(COOKIE) or ""

        async def session_holds() -> bool:
            return await blocking(accounts.session, token) is not None

        live.add(ws, request.ctx.session.user.username, token)
        try:
            await ws.send(
                json.dumps(
                    {"type": "queue", "handoffs": [public(r) for r in await blocking(queue.active)]},
                    default=str,
                )
            )
            await listen_while(ws, session_holds, settings.live_check_seconds)
        except (ConnectionClosed, WebsocketClosed):
            pass  # the browser went away
        finally:
            live.discard(ws)

    async def refresh_queue() -> None:
        records = await blocking(queue.active)
        signature = json.dumps(
            [(r["id"], r["state"], r["priority"], r["holder"], r["crisis_at"]) for r in records], default=str
        )
        for record in records:
            key = (record["id"], record["crisis_at"])
            if record["priority"] == "urgent" and key not in live.alerted:
                live.alerted.add(key)
                await live.broadcast(
                    {
                        "type": "alert",
                        "kind": "crisis" if record["crisis_at"] else "urgent",
                        "handoff_id": record["id"],
                        "conversation_id": record["conversation_id"],
                        "text": "Urgent: a caller may be in crisis. " + needs_line(record["summary"]),
                    }
                )
        if signature != live.queue_signature:
            live.queue_signature = signature
            await live.broadcast({"type": "queue", "handoffs": [public(r) for r in records]})

    async def caller_left(conversation_id: str) -> None:
        """Quick exit in the widget or STOP by text: a wait ends as abandoned; an advocate holding it is told."""
        record = await blocking(queue.open_for, conversation_id)
        if record is None:
            return
        if record["state"] == "waiting":
            try:
                await blocking(
                    queue.abandon,
                    record["id"],
                    SYSTEM,
                    "caller left (quick exit or STOP)",
                    expected_state="waiting",
                )
            except HandoffError:
                return  # claimed meanwhile: the advocate sees the turn below instead
            await rasa.resume(conversation_id)
        else:
            await blocking(
                queue.add_note,
                record["id"],
                SYSTEM,
                "The caller left the chat (quick exit, or STOP by text).",
            )
        await live.broadcast(
            {
                "type": "turn",
                "conversation_id": conversation_id,
                "handoff_id": record["id"],
                "turn": {"who": "caller", "text": "[left the chat]", "left": True},
            }
        )

    async def handle_event(conversation_id: str, event: dict) -> None:
        if event.get("event") == CALLER_TYPING:
            record = await blocking(queue.open_for, conversation_id)
            if record is not None:
                await live.broadcast(
                    {"type": "typing", "conversation_id": conversation_id, "handoff_id": record["id"]}
                )
            return
        if event.get("event") == CALLER_LEFT:
            await caller_left(conversation_id)
            return
        message = turn(event)
        if message is None:
            return
        # One query for every message on the broker: a conversation's open request, if it has
        # one, is its latest (a new request is made only when none is open).
        record = await blocking(queue.latest_for, conversation_id)
        if record is None:
            return  # a conversation no advocate is involved in
        if record["state"] in OPEN_STATES and message["who"] == "caller":
            await blocking(queue.caller_spoke, conversation_id)
            if is_crisis(event):
                # The channel already gave the caller the crisis lines (bot/channels/safety.py) and the
                # action raised the request; raising it here too keeps the alert if that failed.
                await blocking(
                    queue.request,
                    conversation_id,
                    reason="crisis",
                    priority="urgent",
                )
        await live.broadcast(
            {"type": "turn", "conversation_id": conversation_id, "handoff_id": record["id"], "turn": message}
        )

    async def follow_broker(app: Sanic) -> None:
        follower_ = follower or BrokerFollower(events_database_url())
        await blocking(follower_.skip_to_end)
        while True:
            try:
                events = await blocking(follower_.new_events)
                for conversation_id, event in events:
                    await handle_event(conversation_id, event)
                if events:
                    # Every queue change comes with conversation events (an action, a console
                    # step, upkeep), so a quiet broker means an unchanged queue.
                    await refresh_queue()
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad event or a database hiccup must not stop the live feed
                logger.exception("following Rasa's event broker failed; retrying")
            await asyncio.sleep(settings.poll_seconds)

    async def upkeep(app: Sanic) -> None:
        while True:
            await asyncio.sleep(settings.upkeep_seconds)
            try:
                now = datetime.now(timezone.utc)
                for username in live.connected():
                    live.last_seen[username] = now
                changes = await blocking(
                    queue.expire,
                    advocate_idle=settings.advocate_idle,
                    caller_gone=settings.caller_gone,
                    disconnect_grace=settings.advocate_gone,
                    last_seen=dict(live.last_seen),
                )
                for record, what in changes:
                    if what == "released":
                        await tell_still_in_line(record)
                    elif what == "abandoned":
                        # If they come back, the assistant answers them again.
                        await rasa.resume(record["conversation_id"])
                if changes:
                    await refresh_queue()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("console upkeep failed; retrying")

    background: list[asyncio.Task] = []

    @app.after_server_start
    async def start_background(app: Sanic, loop: Any) -> None:
        background.extend([loop.create_task(follow_broker(app)), loop.create_task(upkeep(app))])

    @app.before_server_stop
    async def stop_background(app: Sanic, _loop: Any) -> None:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await rasa.close()

    return app
