"""Past handoffs, by date, need, disposition and advocate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.http import BadRequest, error
from bot.handoff import DISPOSITIONS
from bot.handoff.desk import blocking

blueprint = Blueprint("console_history")


def day(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date like 2026-11-28") from None


@blueprint.get("/api/history")
async def history(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    try:
        since = day(request.args.get("since"), "since")
        until = day(request.args.get("until"), "until")
    except BadRequest as problem:
        return error(400, str(problem))
    disposition = request.args.get("disposition") or None
    if disposition and disposition not in DISPOSITIONS:
        return error(400, f"unknown disposition; one of {', '.join(DISPOSITIONS)}")
    records = await blocking(
        ctx.queue.history,
        since=since,
        until=until + timedelta(days=1) if until else None,
        need=request.args.get("need") or None,
        disposition=disposition,
        advocate=request.args.get("advocate") or None,
    )
    return response.json({"handoffs": [ctx.view.public(r) for r in records]})
