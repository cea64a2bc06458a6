"""The queue and one conversation: read it, and every step the handoff desk takes on it."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.http import BadRequest, advocate, body_of, error, plain
from bot.console.routes.directory import search_cards
from bot.handoff import HandoffConflict, HandoffError
from bot.handoff.conversations import ConversationsUnavailable
from bot.handoff.desk import DeskRefused, blocking
from bot.handoff.presence import LANGUAGES
from bot.messages import Card

logger = logging.getLogger(__name__)

blueprint = Blueprint("console_handoffs")


@blueprint.get("/api/queue")
async def queue_list(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    return response.json({"handoffs": [ctx.view.public(r) for r in await blocking(ctx.queue.active)]})


@blueprint.get("/api/handoffs/<handoff_id:int>")
async def handoff_view(request: Request, handoff_id: int) -> HTTPResponse:
    ctx = request.app.ctx
    record = await blocking(ctx.queue.get, handoff_id)
    if record is None:
        return error(404, "no such conversation in the queue")
    try:
        turns = [turn.to_json() for turn in await ctx.desk.transcript(record)]
    except ConversationsUnavailable as problem:
        logger.warning("transcript unavailable: %s", problem)
        turns = []
    notes = [plain(n) for n in await blocking(ctx.queue.notes, handoff_id)]
    return response.json({"handoff": ctx.view.public(record), "transcript": turns, "notes": notes})


Step = Callable[[Request, int], Awaitable[dict]]


def step(handler: Step) -> Callable[[Request, int], Awaitable[HTTPResponse]]:
    """A desk step as an HTTP answer: its body (the record it left as "handoff", shown as pages read
    it), and the desk's refusals as clear errors."""

    @functools.wraps(handler)
    async def answer(request: Request, handoff_id: int) -> HTTPResponse:
        ctx = request.app.ctx
        try:
            result = await handler(request, handoff_id)
        except LookupError as problem:
            return error(404, str(problem))
        except DeskRefused as problem:
            return error(403, str(problem))
        except HandoffConflict as problem:
            return error(409, str(problem))
        except (HandoffError, BadRequest) as problem:
            return error(400, str(problem))
        except ConversationsUnavailable as problem:
            logger.warning("the assistant's server failed: %s", problem)
            return error(502, "the assistant's server did not take it; try again in a moment")
        await ctx.feed.refresh_queue()
        shown = {**result}
        if "handoff" in shown:
            shown["handoff"] = ctx.view.public(shown["handoff"])
        if "note" in shown:
            shown["note"] = plain(shown["note"])
        return response.json(shown)

    return answer


@blueprint.post("/api/handoffs/<handoff_id:int>/claim")
@step
async def claim(request: Request, handoff_id: int) -> dict:
    return {"handoff": await request.app.ctx.desk.claim(handoff_id, advocate(request))}


@blueprint.post("/api/handoffs/<handoff_id:int>/release")
@step
async def release(request: Request, handoff_id: int) -> dict:
    return {"handoff": await request.app.ctx.desk.release(handoff_id, advocate(request))}


@blueprint.post("/api/handoffs/<handoff_id:int>/take-over")
@step
async def take_over(request: Request, handoff_id: int) -> dict:
    return {"handoff": await request.app.ctx.desk.take_over(handoff_id, advocate(request))}


@blueprint.post("/api/handoffs/<handoff_id:int>/transfer")
@step
async def transfer(request: Request, handoff_id: int) -> dict:
    ctx = request.app.ctx
    body = body_of(request)
    to, language = body.get("to") or None, body.get("language") or None
    colleagues = {u["username"] for u in await blocking(ctx.accounts.users) if u["active"]}
    if to is not None and to not in colleagues:
        raise BadRequest("choose a colleague from the list")
    if language is not None and language not in LANGUAGES:
        raise BadRequest(f"a language is one of {', '.join(LANGUAGES)}")
    moved = await ctx.desk.transfer(
        handoff_id, advocate(request), str(body.get("note") or ""), to=to, language=language
    )
    return {"handoff": moved}


@blueprint.post("/api/handoffs/<handoff_id:int>/messages")
@step
async def send_message(request: Request, handoff_id: int) -> dict:
    text = str(body_of(request).get("text") or "")
    return {
        "handoff": await request.app.ctx.desk.send_message(handoff_id, advocate(request), text),
        "sent": True,
    }


@blueprint.post("/api/handoffs/<handoff_id:int>/referral")
@step
async def send_referral(request: Request, handoff_id: int) -> dict:
    ctx = request.app.ctx
    body = body_of(request)
    service_id = str(body.get("service_id") or "")
    query = body.get("query") if isinstance(body.get("query"), dict) else {}
    found = await blocking(search_cards, ctx.directory, query, 50)
    chosen = next((c for c in found["results"] if c["id"] == service_id), None)
    if chosen is None:
        raise LookupError("that service is not among this search's results any more; search again")
    updated = await ctx.desk.send_service(handoff_id, advocate(request), Card.from_json(chosen, 1))
    return {"handoff": updated, "sent": True, "service": chosen}


@blueprint.post("/api/handoffs/<handoff_id:int>/notes")
@step
async def add_note(request: Request, handoff_id: int) -> dict:
    text = str(body_of(request).get("text") or "")
    return {"note": await request.app.ctx.desk.add_note(handoff_id, advocate(request), text)}


@blueprint.post("/api/handoffs/<handoff_id:int>/hand-back")
@step
async def hand_back(request: Request, handoff_id: int) -> dict:
    return {"handoff": await request.app.ctx.desk.hand_back(handoff_id, advocate(request))}


@blueprint.post("/api/handoffs/<handoff_id:int>/resolve")
@step
async def resolve(request: Request, handoff_id: int) -> dict:
    disposition = str(body_of(request).get("disposition") or "")
    return {"handoff": await request.app.ctx.desk.resolve(handoff_id, advocate(request), disposition)}
