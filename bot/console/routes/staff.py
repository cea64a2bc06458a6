"""The team: accounts (admins), who is on shift, canned replies, call-back requests and the audit log."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import AccountError
from bot.console.canned import CannedError
from bot.console.http import BadRequest, body_of, error, plain
from bot.handoff import HandoffError
from bot.handoff.desk import blocking
from bot.handoff.presence import PresenceError

blueprint = Blueprint("console_staff")


@blueprint.get("/api/users")
async def users(request: Request) -> HTTPResponse:
    if not request.ctx.session.user.can("manage_users"):
        return error(403, "only admins manage accounts")
    return response.json({"users": await blocking(request.app.ctx.accounts.users)})


@blueprint.post("/api/users/<username:str>/disable")
async def disable_user(request: Request, username: str) -> HTTPResponse:
    ctx = request.app.ctx
    admin = request.ctx.session.user
    if not admin.can("manage_users"):
        return error(403, "only admins manage accounts")
    try:
        await blocking(ctx.accounts.set_active, username, False)
    except AccountError as problem:
        return error(404, str(problem))
    # Its sessions are gone from the database; its open live feeds end now, not at their next check.
    await ctx.live.end_user(username)
    await blocking(ctx.presence.set, username, "offline")
    await blocking(ctx.audit.record, admin.username, "user_disabled", {"username": username})
    await ctx.feed.presence_changed()
    return response.json({"disabled": username})


# -- presence -------------------------------------------------------------------------


@blueprint.get("/api/advocates")
async def advocates(request: Request) -> HTTPResponse:
    return response.json({"advocates": await blocking(request.app.ctx.feed.advocates)})


@blueprint.put("/api/presence")
async def set_presence(request: Request) -> HTTPResponse:
    """Available or away, and the languages I speak; offline only by signing out."""
    ctx = request.app.ctx
    try:
        body = body_of(request)
        status = body.get("status")
        if status is not None and status not in ("available", "away"):
            raise BadRequest("a status is available or away; sign out to go offline")
        languages = body.get("languages")
        if languages is not None and not isinstance(languages, list):
            raise BadRequest('languages is a list of codes, like ["en", "es"]')
        presence = await blocking(ctx.presence.set, request.ctx.session.user.username, status, languages)
    except (BadRequest, PresenceError) as problem:
        return error(400, str(problem))
    await ctx.feed.presence_changed()
    return response.json({"presence": presence.to_json()})


# -- canned replies -------------------------------------------------------------------


@blueprint.get("/api/canned")
async def canned_list(request: Request) -> HTTPResponse:
    return response.json({"canned": await blocking(request.app.ctx.canned.all)})


async def canned_change(request: Request, canned_id: int | None, delete: bool = False) -> HTTPResponse:
    ctx = request.app.ctx
    user = request.ctx.session.user
    if not user.can("manage_canned"):
        return error(403, "only supervisors and admins manage canned responses")
    try:
        if delete:
            await blocking(ctx.canned.delete, canned_id)
            saved = {"id": canned_id, "deleted": True}
        else:
            body = body_of(request)
            saved = await blocking(
                ctx.canned.save, user.username, body.get("title"), body.get("text"), canned_id
            )
    except (BadRequest, CannedError) as problem:
        return error(400, str(problem))
    await blocking(
        ctx.audit.record,
        user.username,
        "canned_deleted" if delete else "canned_saved",
        {"canned": saved["id"]},
    )
    return response.json({"canned": saved})


@blueprint.post("/api/canned")
async def canned_add(request: Request) -> HTTPResponse:
    return await canned_change(request, None)


@blueprint.put("/api/canned/<canned_id:int>")
async def canned_edit(request: Request, canned_id: int) -> HTTPResponse:
    return await canned_change(request, canned_id)


@blueprint.delete("/api/canned/<canned_id:int>")
async def canned_delete(request: Request, canned_id: int) -> HTTPResponse:
    return await canned_change(request, canned_id, delete=True)


# -- call-back requests and the audit log -------------------------------------------------


@blueprint.get("/api/callbacks")
async def callbacks(request: Request) -> HTTPResponse:
    rows = await blocking(request.app.ctx.queue.callbacks)
    return response.json({"callbacks": [plain(row) for row in rows]})


@blueprint.post("/api/callbacks/<callback_id:int>/done")
async def callback_done(request: Request, callback_id: int) -> HTTPResponse:
    try:
        await blocking(request.app.ctx.queue.callback_done, callback_id, request.ctx.session.user.username)
    except HandoffError as problem:
        return error(400, str(problem))
    return response.json({"done": True})


@blueprint.get("/api/audit")
async def audit(request: Request) -> HTTPResponse:
    if not request.ctx.session.user.can("read_audit"):
        return error(403, "only supervisors and admins read the audit log")
    handoff_id = request.args.get("handoff_id")
    if handoff_id is not None and not handoff_id.isdigit():
        return error(400, "'handoff_id' must be a number")
    rows = await blocking(request.app.ctx.audit.entries, int(handoff_id) if handoff_id else None)
    return response.json({"audit": [plain(row) for row in rows]})
