"""The HSDS 3.0 read API as a Sanic blueprint, mounted by whichever service serves pages.

Routes and parameters follow the specification's OpenAPI description:
``/`` (profile), ``/services`` and ``/taxonomy_terms`` (paginated, with
``search``, ``page``, ``per_page`` and ``taxonomy_term_id``) and
``/services/{id}``.
"""

from __future__ import annotations

import asyncio
import functools
import math

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.directory.directory import Directory

HSDS_PROFILE = "https://openreferral.org/imls/hsds/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


class BadParameter(ValueError):
    pass


def _positive_int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"'{name}' must be a whole number, not {raw!r}") from None
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise BadParameter(f"'{name}' must be at least 1{limit}")
    return value


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def hsds_blueprint(directory: Directory, url_prefix: str = "/api/hsds") -> Blueprint:
    blueprint = Blueprint("hsds", url_prefix=url_prefix)

    async def run(function, *args, **kwargs):
        # The directory is synchronous (SQLAlchemy 1.4); keep the event loop free.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))

    async def paged(request: Request, entity_name: str) -> HTTPResponse:
        try:
            page = _positive_int(request, "page", 1, MAX_PAGE)
            per_page = _positive_int(request, "per_page", 20, MAX_PER_PAGE)
        except BadParameter as error:
            return _error(400, str(error))
        search = request.args.get("search")
        if search is not None and len(search) > 200:
            return _error(400, "'search' is longer than 200 characters")
        total, contents = await run(
            directory.page,
            entity_name,
            search=search,
            taxonomy_term_id=request.args.get("taxonomy_term_id"),
            page=page,
            per_page=per_page,
        )
        total_pages = math.ceil(total / per_page) if total else 0
        return response.json(
            {
                "total_items": total,
                "total_pages": total_pages,
                "page_number": page,
                "size": len(contents),
                "first_page": page == 1,
                "last_page": page >= total_pages,
                "empty": not contents,
                "contents": contents,
            }
        )

    @blueprint.get("/")
    async def profile(_request: Request) -> HTTPResponse:
        return response.json({"version": "3.0", "profile": HSDS_PROFILE, "openapi_url": OPENAPI_URL})

    @blueprint.get("/services")
    async def services(request: Request) -> HTTPResponse:
        return await paged(request, "service")

    @blueprint.get("/services/<service_id>")
    async def service(_request: Request, service_id: str) -> HTTPResponse:
        found = await run(directory.service, service_id)
        if found is None:
            return _error(404, f"no service with id {service_id}")
        return response.json(found)

    @blueprint.get("/taxonomy_terms")
    async def taxonomy_terms(request: Request) -> HTTPResponse:
        return await paged(request, "taxonomy_term")

    @blueprint.get("/taxonomy_terms/<term_id>")
    async def taxonomy_term(_request: Request, term_id: str) -> HTTPResponse:
        found = await run(directory.nested, "taxonomy_term", [term_id])
        if not found:
            return _error(404, f"no taxonomy term with id {term_id}")
        return response.json(found[0])

    return blueprint
