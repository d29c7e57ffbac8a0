"""The built web app (`make build` -> FRONTEND_DIST), served by the API.

Hashed assets under `/assets/` are immutable and cached for a year; every other page path
answers `index.html` (the app routes in the browser) and is revalidated on each load.
`/` and each creator's page carry share-preview tags in that HTML (see `share`); an
unknown creator's page is the app with a 404 status. `/robots.txt` and `/sitemap.xml`
are made here.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import file, html, text
from sanic_ext import openapi

from backend.accounts.schemas import HANDLE_CHARACTERS
from backend.creators import service as creators
from backend.http.errors import NotFound
from backend.settings import Settings
from backend.web import share

bp = Blueprint("web")

CREATOR_PAGE = re.compile(f"^creators/({HANDLE_CHARACTERS})/?$")
SITEMAP_BATCH = 1000
# The sitemap protocol's limit for one file; past it, an index of files is needed.
SITEMAP_MAX_URLS = 50_000

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


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


def _base(request: Request) -> str:
    return str(_settings(request).public_url).rstrip("/")


@bp.get("/robots.txt", name="robots")
@openapi.exclude()
async def robots(request: Request) -> HTTPResponse:
    return text(share.robots_txt(_base(request)), headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/sitemap.xml", name="sitemap")
@openapi.exclude()
async def sitemap(request: Request) -> None:
    """`/`, `/creators` and every creator's page, streamed in batches of creators (never
    all of them in memory); `/` and `/creators` change when the newest creator does."""
    base = _base(request)
    response = await request.respond(
        content_type="application/xml; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
    await response.send(share.SITEMAP_START)
    after: uuid.UUID | None = None
    latest: datetime | None = None
    room = SITEMAP_MAX_URLS - 2
    while room > 0:
        wanted = min(SITEMAP_BATCH, room)
        batch = await creators.creator_handles(after, wanted)
        chunk = []
        for user_id, handle, changed in batch:
            location = share.absolute(base, share.creator_path(handle))
            chunk.append(share.sitemap_url(location, changed))
            latest = changed if latest is None or changed > latest else latest
            after = user_id
        room -= len(batch)
        if chunk:
            await response.send("".join(chunk))
        if len(batch) < wanted:
            break
    pages = "".join(share.sitemap_url(base + path, latest) for path in ("/", "/creators"))
    await response.send(pages + share.SITEMAP_END)
    await response.eof()


def _index(root: Path) -> Path:
    index = root / "index.html"
    if not index.is_file():
        raise NotFound("The web app is not built; run `make build` (or use `make dev`).")
    return index


@bp.get("/", name="index")
@bp.get("/<page:path>", name="page")
@openapi.exclude()
async def page(request: Request, page: str = "") -> HTTPResponse:
    if page.startswith(NOT_PAGES):
        raise NotFound()
    root = _dist(request)
    if not page:
        card = share.home_card(_base(request))
        return _tagged(_index(root), card)
    creator = CREATOR_PAGE.match(page)
    if creator is not None:
        return await _creator_page(request, _index(root), creator.group(1))
    static = _inside(root, page)  # favicon.ico, ...
    target = static or _index(root)
    return await file(target, request_headers=request.headers)  # Cache-Control: no-cache


async def _creator_page(request: Request, index: Path, handle: str) -> HTTPResponse:
    user = await creators.public_creator(handle)
    if user is None:  # the app shows its "not found"; crawlers see the status
        return html(share.index_page(index).original, status=404, headers=NO_CACHE)
    card = share.creator_card(
        _base(request),
        handle=user.handle,
        display_name=user.display_name,
        bio=user.bio,
        avatar_url=user.avatar_url,
    )
    return _tagged(index, card)


NO_CACHE = {"Cache-Control": "no-cache"}


def _tagged(index: Path, card: share.ShareCard) -> HTTPResponse:
    body = share.index_page(index).with_tags(share.head_tags(card))
    return html(body, headers=NO_CACHE)
