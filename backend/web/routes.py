"""The built web app (`make build` -> FRONTEND_DIST), served by the API.

Hashed assets under `/assets/` are immutable and cached for a year; every other page path
answers `index.html` (the app routes in the browser) and is revalidated on each load.
"""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import file
from sanic_ext import openapi

from backend.http.errors import NotFound

bp = Blueprint("web")

ONE_YEAR = 31_536_000
# Paths that belong to the API, never to the web app.
NOT_PAGES = ("api/", "media/", "health", "metrics", "docs", "openapi.json")


def _dist(request: Request) -> Path:
    dist: Path = request.app.ctx.settings.frontend_dist
    return dist.resolve()


def _inside(root: Path, relative: str) -> Path | None:
    candidate = (root / relative).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    return candidate if candidate.is_file() else None


@bp.get("/assets/<name:path>")
@openapi.exclude()
async def asset(request: Request, name: str) -> HTTPResponse:
    path = _inside(_dist(request) / "assets", name)
    if path is None:
        raise NotFound()
    response = await file(path, request_headers=request.headers, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


@openapi.exclude()
async def no_such_resource(request: Request, page: str) -> HTTPResponse:
    """Writes to an unknown path are a 404, not a 405 from the page route below."""
    raise NotFound()


bp.add_route(
    no_such_resource, "/<page:path>", methods=["POST", "PUT", "PATCH", "DELETE"], name="no_page"
)


@bp.get("/", name="index")
@bp.get("/<page:path>", name="page")
@openapi.exclude()
async def page(request: Request, page: str = "") -> HTTPResponse:
    if page.startswith(NOT_PAGES):
        raise NotFound()
    root = _dist(request)
    static = _inside(root, page) if page else None  # favicon.ico, robots.txt, ...
    target = static or root / "index.html"
    if not target.is_file():
        raise NotFound("The web app is not built; run `make build` (or use `make dev`).")
    return await file(target, request_headers=request.headers)  # Cache-Control: no-cache
