"""The directory as advocates search it: every filter the assistant uses, and cards to send."""

from __future__ import annotations

from dataclasses import replace

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.http import BadRequest, error
from bot.directory import Directory
from bot.directory.taxonomy import NEEDS
from bot.handoff.desk import blocking
from bot.referral import SKIP, CallerNeeds, When, card, language_code, read_age, read_location

blueprint = Blueprint("console_directory")

FIELDS = ("need", "location", "payment", "age", "language", "open_now", "walk_in", "telehealth")
CHECKED = ("1", "true", "yes", "on")


def search_cards(directory: Directory, query: dict, limit: int = 10) -> dict:
    """The cards a search finds, as the caller would get them; BadRequest for a place or age it cannot read."""
    needs = CallerNeeds(need=query.get("need") or None, payment=query.get("payment") or None)
    location = str(query.get("location") or "").strip()
    if location:
        place = read_location(directory, location)
        if place.problem:
            raise BadRequest(place.problem)
        needs = replace(needs, location=place.value)
    if query.get("age") not in (None, ""):
        age = read_age(str(query["age"]))
        if age.problem:
            raise BadRequest(age.problem)
        needs = replace(needs, age=int(age.value) if age.value != SKIP else None)
    if query.get("language"):
        code = language_code(str(query["language"]))
        if code is None:
            raise BadRequest(f"unknown language {query['language']!r}; use a code like es")
        needs = replace(needs, language=code)
    if str(query.get("open_now") or "").lower() in CHECKED:
        needs = replace(needs, when=When(open_now=True))
    search = needs.query(limit)
    search = replace(
        search,
        walk_in=str(query.get("walk_in") or "").lower() in CHECKED,
        telehealth=str(query.get("telehealth") or "").lower() in CHECKED,
    )
    found = directory.search(search)
    cards = [card(result, number).to_json() for number, result in enumerate(found.results, 1)]
    return {"results": cards, "notices": list(found.notices)}


@blueprint.get("/api/directory/needs")
async def needs(request: Request) -> HTTPResponse:
    taxonomy = request.app.ctx.directory.taxonomy
    terms = [taxonomy.term(NEEDS, code) for code in taxonomy.codes(NEEDS)]
    return response.json(sorted(({"code": t.code, "name": t.name} for t in terms), key=lambda t: t["name"]))


@blueprint.get("/api/directory/search")
async def directory_search(request: Request) -> HTTPResponse:
    query = {key: request.args.get(key) for key in FIELDS}
    try:
        found = await blocking(search_cards, request.app.ctx.directory, query)
    except BadRequest as problem:
        return error(400, str(problem))
    return response.json(found)
