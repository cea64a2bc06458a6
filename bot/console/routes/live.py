"""The live websocket: the queue at once, then turns, alerts, queue changes and presence as they happen."""

from __future__ import annotations

import json
from typing import Any

from sanic import Blueprint
from sanic.exceptions import WebsocketClosed
from sanic.request import Request
from websockets.exceptions import ConnectionClosed

from bot.console.http import COOKIE
from bot.console.live import listen_while
from bot.handoff.desk import blocking

blueprint = Blueprint("console_live")


@blueprint.websocket("/api/live")
async def live_socket(request: Request, ws: Any) -> None:
    ctx = request.app.ctx
    token = request.cookies.get(COOKIE) or ""

    async def session_holds() -> bool:
        return await blocking(ctx.accounts.session, token) is not None

    ctx.live.add(ws, request.ctx.session.user.username, token)
    try:
        await ws.send(json.dumps(await ctx.feed.queue_message(), default=str))
        await ws.send(json.dumps(await ctx.feed.presence_message(), default=str))
        await listen_while(ws, session_holds, ctx.settings.live_check_seconds)
    except (ConnectionClosed, WebsocketClosed):
        pass  # the browser went away
    finally:
        ctx.live.discard(ws)
