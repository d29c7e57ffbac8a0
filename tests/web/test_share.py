"""What crawlers and link unfurlers read: share-preview tags, robots.txt and the sitemap."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from redis.asyncio import Redis

from backend.accounts.models import User
from backend.creators import service as creators_service
from backend.settings import Settings
from backend.web import routes as web_routes
from tests.support.accounts import create_account
from tests.support.server import serve, with_overrides

pytestmark = pytest.mark.usefixtures("database")

PUBLIC = "https://digis.example"
INDEX = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta
      name="description"
      content="The app's own description."
    />
    <title>Digis</title>
    <script type="module" crossorigin src="/assets/index-3f9a1c.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
"""
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
async def web(settings: Settings, redis: Redis, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    (tmp_path / "index.html").write_text(INDEX)
    overrides = with_overrides(settings, frontend_dist=tmp_path, public_url=PUBLIC)
    async with serve(overrides) as client:
        yield client


class Head(HTMLParser):
    """The head's title and meta tags, as a browser (or an unfurler) parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.scripts = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "title":
            self._in_title = True
            self.titles.append("")
        elif tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.links[values.get("rel", "")] = values.get("href", "")
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data

    def one(self, key: str) -> str:
        assert len(self.meta.get(key, [])) == 1, (key, self.meta)
        return self.meta[key][0]


def parsed(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


async def test_a_creator_page_carries_escaped_share_tags(web: httpx.AsyncClient) -> None:
    creator = await create_account("creator", display_name='Ada "The Count" <Lovelace>')
    bio = 'Engines & <script>alert("x")</script> it\'s "quoted"'
    await User.filter(handle=creator.handle).update(
        bio=bio, avatar_url="/media/" + "a" * 64 + ".webp"
    )

    response = await web.get(f"/creators/{creator.handle}")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "text/html" in response.headers["content-type"]
    assert "<script>alert" not in response.text  # escaped, never markup
    head = parsed(response.text)
    title = f'Ada "The Count" <Lovelace> (@{creator.handle}) on Digis'
    assert head.titles == [title]  # the app's own title is replaced, not doubled
    assert head.one("description") == bio
    assert head.one("og:title") == title
    assert head.one("og:description") == bio
    assert head.one("og:type") == "profile"
    assert head.one("og:url") == f"{PUBLIC}/creators/{creator.handle}"
    assert head.one("og:image") == f"{PUBLIC}/media/{'a' * 64}.webp"
    assert head.one("twitter:card") == "summary"
    assert head.one("twitter:title") == title
    assert head.one("twitter:description") == bio
    assert head.one("twitter:image") == head.one("og:image")
    assert head.links["canonical"] == f"{PUBLIC}/creators/{creator.handle}"
    assert head.scripts == 1  # the app still loads


async def test_the_handle_is_found_whatever_its_case_and_a_cdn_avatar_is_kept(
    web: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    cdn = "https://cdn.example/" + "b" * 64 + ".webp"
    await User.filter(handle=creator.handle).update(avatar_url=cdn)
    response = await web.get(f"/creators/{creator.handle.upper()}")
    assert response.status_code == 200
    head = parsed(response.text)
    assert head.one("og:image") == cdn
    assert head.one("og:url") == f"{PUBLIC}/creators/{creator.handle}"


async def test_without_bio_or_avatar_the_preview_has_a_default_and_no_image(
    web: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator", display_name="Grace")
    head = parsed((await web.get(f"/creators/{creator.handle}")).text)
    assert head.one("og:description") == "Grace shares photos on Digis."
    assert "og:image" not in head.meta
    assert "twitter:image" not in head.meta


async def test_an_unknown_creator_is_the_plain_app_with_a_404(web: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    for path in ("/creators/nobody_here", f"/creators/{fan.handle}"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert response.text == INDEX  # the app shows its own "not found"
        assert response.headers["Cache-Control"] == "no-cache"


async def test_the_home_page_has_generic_share_tags(web: httpx.AsyncClient) -> None:
    response = await web.get("/")
    assert response.status_code == 200
    head = parsed(response.text)
    assert head.one("og:type") == "website"
    assert head.one("og:url") == f"{PUBLIC}/"
    assert head.one("og:title").startswith("Digis")
    assert head.one("twitter:card") == "summary"
    assert len(head.titles) == 1


async def test_the_index_is_read_again_when_the_build_changes(
    web: httpx.AsyncClient, tmp_path: Path
) -> None:
    first = await web.get("/")
    assert "index-3f9a1c.js" in first.text
    index = tmp_path / "index.html"
    index.write_text(INDEX.replace("index-3f9a1c.js", "index-77aa00.js"))
    stat = index.stat()
    # A new build: another modification time, whatever the file system's resolution.
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "index-77aa00.js" in (await web.get("/")).text


async def test_robots_allows_pages_and_names_the_sitemap(web: httpx.AsyncClient) -> None:
    response = await web.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /api/" in lines
    assert "Disallow: /media/protected/" in lines
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines


def _sitemap(body: bytes) -> dict[str, str | None]:
    root = ElementTree.fromstring(body)  # noqa: S314 - our own answer
    assert root.tag == f"{SITEMAP}urlset"
    found: dict[str, str | None] = {}
    for url in root.findall(f"{SITEMAP}url"):
        location = url.findtext(f"{SITEMAP}loc")
        assert location is not None
        assert location not in found, location
        found[location] = url.findtext(f"{SITEMAP}lastmod")
    return found


async def test_the_sitemap_lists_the_pages_and_every_creator(web: httpx.AsyncClient) -> None:
    creators = [await create_account("creator") for _ in range(3)]
    fan = await create_account("fan")

    response = await web.get("/sitemap.xml")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    found = _sitemap(response.content)
    expected = {f"{PUBLIC}/", f"{PUBLIC}/creators"} | {
        f"{PUBLIC}/creators/{creator.handle}" for creator in creators
    }
    assert set(found) == expected
    assert f"{PUBLIC}/creators/{fan.handle}" not in found
    for location, lastmod in found.items():
        assert lastmod is not None, location
        assert lastmod.endswith("Z"), location


async def test_the_sitemap_pages_through_creators_in_batches(
    web: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_routes, "SITEMAP_BATCH", 2)
    creators = [await create_account("creator") for _ in range(5)]
    calls: list[tuple[uuid.UUID | None, int]] = []
    original = creators_service.creator_handles

    async def counted(after: uuid.UUID | None, limit: int) -> list[tuple[uuid.UUID, str, datetime]]:
        calls.append((after, limit))
        return await original(after, limit)

    monkeypatch.setattr(creators_service, "creator_handles", counted)

    found = _sitemap((await web.get("/sitemap.xml")).content)

    assert {f"{PUBLIC}/creators/{c.handle}" for c in creators} <= set(found)
    assert len(found) == 7
    assert [limit for _, limit in calls] == [2, 2, 2]  # 2 + 2 + 1: a short batch is the last
    assert calls[0][0] is None
    assert all(after is not None for after, _ in calls[1:])
