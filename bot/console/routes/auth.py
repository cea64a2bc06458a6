"""Pages, sign-in and out, sessions and CSRF; presence follows signing in and out."""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.http import COOKIE, PAGES, BadRequest, body_of, client_address, error, from_own_page, page
from bot.handoff import DISPOSITIONS
from bot.handoff.desk import blocking
from bot.limits import Decision

blueprint = Blueprint("console_auth")

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The console's own files, by name: nothing else under /static/console/ (no folders, no ..).
CONSOLE_FILES = {path.name: path for path in PAGES.iterdir() if path.is_file()}


def content_type(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def too_many(decision: Decision, lock_minutes: float) -> HTTPResponse:
    if decision.locked:
        message = f"Too many failed sign-ins: signing in is paused for up to {lock_minutes:g} minutes."
    else:
        seconds = decision.retry_after_header
        message = f"Too many failed sign-ins: try again in {seconds} second{'' if seconds == '1' else 's'}."
    return error(429, message, headers={"Retry-After": decision.retry_after_header})


async def guard(request: Request) -> HTTPResponse | None:
    """Every /api/ request but sign-in needs a session; changes need the console's origin and the CSRF token."""
    ctx = request.app.ctx
    path = request.path
    request.ctx.session = None
    if not path.startswith("/api/") or path.startswith("/api/hsds"):
        return None
    if path == "/api/login":
        # Cross-site forms cannot send JSON; with the Origin check there is no login CSRF.
        if not from_own_page(request, ctx.public_origins):
            return error(403, "sign-in must come from the console's own page")
        return None
    request.ctx.session = await blocking(ctx.accounts.session, request.cookies.get(COOKIE))
    if request.ctx.session is None:
        return error(401, "sign in first")
    if path == "/api/live" and not from_own_page(request, ctx.public_origins):
        return error(403, "the live connection must come from the console's own page")
    if request.method in UNSAFE_METHODS:
        if not from_own_page(request, ctx.public_origins):
            return error(403, "requests must come from the console's own page")
        sent = request.headers.get("x-csrf-token") or ""
        if not secrets.compare_digest(sent.encode(), request.ctx.session.csrf_token.encode()):
            return error(403, "missing or wrong CSRF token; reload the page")
    return None


@blueprint.get("/static/console/<name:str>")
async def console_static(request: Request, name: str) -> HTTPResponse:
    path = CONSOLE_FILES.get(name)
    if path is None:
        return error(404, "not found")
    return await response.file(path, mime_type=content_type(path))


@blueprint.get("/")
async def index(request: Request) -> HTTPResponse:
    if await blocking(request.app.ctx.accounts.session, request.cookies.get(COOKIE)) is None:
        return response.redirect("/login")
    return page("index.html")


@blueprint.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    return page("login.html")


@blueprint.get("/health")
async def health(request: Request) -> HTTPResponse:
    return response.json({"status": "ok"})


@blueprint.post("/api/login")
async def login(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    settings = ctx.settings
    try:
        body = body_of(request)
    except BadRequest as problem:
        return error(400, str(problem))
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
        return error(400, "send a username and a password")
    address = client_address(request)
    # Asked before the password is checked: a right password during a lockout is refused too.
    allowed = ctx.throttle.begin(username, address)
    if not allowed.allowed:
        return too_many(allowed, settings.sign_in.lock_minutes)
    try:
        user = await blocking(ctx.accounts.authenticate, username, password)
    except BaseException:
        ctx.throttle.ended(username, address)
        raise
    if user is None:
        locked = ctx.throttle.failed(username, address)
        actor = username[:64]
        await blocking(ctx.audit.record, actor, "sign_in_failed", {"address": address})
        for limit in locked:
            await blocking(
                ctx.audit.record,
                actor,
                "sign_in_locked",
                {"by": limit, "address": address, "minutes": settings.sign_in.lock_minutes},
            )
        return error(401, "wrong username or password")
    ctx.throttle.succeeded(username, address)
    token, started = await blocking(ctx.accounts.start_session, user)
    await blocking(ctx.audit.record, user.username, "signed_in")
    # Signing in puts an advocate on shift: the assistant tells callers a person can join.
    await blocking(ctx.presence.set, user.username, "available")
    await ctx.feed.presence_changed()
    reply = response.json({"user": user.public(), "csrf_token": started.csrf_token})
    reply.cookies[COOKIE] = token
    cookie = reply.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["secure"] = settings.secure_cookies
    cookie["path"] = "/"
    cookie["max-age"] = int(settings.session_hours * 3600)
    return reply


@blueprint.post("/api/logout")
async def logout(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    token = request.cookies.get(COOKIE)
    username = request.ctx.session.user.username
    await blocking(ctx.accounts.end_session, token)
    await ctx.live.end_session(token)
    await blocking(ctx.audit.record, username, "signed_out")
    await blocking(ctx.presence.set, username, "offline")
    await ctx.feed.presence_changed()
    reply = response.json({"signed_out": True})
    del reply.cookies[COOKIE]
    return reply


@blueprint.get("/api/me")
async def me(request: Request) -> HTTPResponse:
    session = request.ctx.session
    presence = await blocking(request.app.ctx.presence.get, session.user.username)
    return response.json(
        {
            "user": session.user.public(),
            "csrf_token": session.csrf_token,
            "permissions": sorted(session.user.permissions),
            "dispositions": list(DISPOSITIONS),
            "presence": presence.to_json(),
        }
    )
