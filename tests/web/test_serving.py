from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from backend.settings import Settings
from tests.support.server import serve, with_overrides


@pytest.fixture
async def web(settings: Settings, redis: Redis, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Digis</title>")
    (tmp_path / "assets" / "index-3f9a1c.js").write_text("console.log('app')")
    (tmp_path / "favicon.svg").write_text("<svg></svg>")
    (tmp_path.parent / "secret.txt").write_text("outside the build")
    async with serve(with_overrides(settings, frontend_dist=tmp_path)) as client:
        yield client


async def test_pages_fall_back_to_the_app(web: httpx.AsyncClient) -> None:
    for path in ("/", "/dashboard", "/creators", "/wallet/return"):
        response = await web.get(path)
        assert response.status_code == 200, path
        assert response.text.startswith("<!doctype html>")
        assert response.headers["Cache-Control"] == "no-cache"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_hashed_assets_are_immutable(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/index-3f9a1c.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "javascript" in response.headers["content-type"]
    assert (await web.get("/assets/missing.js")).status_code == 404


async def test_root_files_are_served_and_nothing_outside_the_build(
    web: httpx.AsyncClient,
) -> None:
    assert (await web.get("/favicon.svg")).text == "<svg></svg>"
    escaped = await web.get("/assets/%2e%2e/%2e%2e/secret.txt")
    assert escaped.status_code == 404
    assert "outside the build" not in escaped.text


async def test_api_paths_never_get_the_app(web: httpx.AsyncClient) -> None:
    for method, path in (("GET", "/api/nope"), ("POST", "/api/nope"), ("DELETE", "/api/x/y")):
        response = await web.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "not_found"


async def test_unbuilt_app_says_how_to_build_it(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with serve(with_overrides(settings, frontend_dist=tmp_path / "missing")) as client:
        response = await client.get("/dashboard")
    assert response.status_code == 404
    assert "make build" in response.json()["error"]["message"]


async def test_a_revalidated_page_keeps_the_page_policy(web: httpx.AsyncClient) -> None:
    first = await web.get("/dashboard")
    revalidated = await web.get(
        "/dashboard", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert revalidated.status_code == 304
    # Not the API's default-src 'none', which would blank the browser's cached page.
    assert "script-src 'self'" in revalidated.headers["Content-Security-Policy"]


async def test_extra_connect_sources_reach_the_page_policy(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html>")
    custom = with_overrides(
        settings, frontend_dist=tmp_path, csp_connect_sources="https://sentry.example"
    )
    async with serve(custom) as client:
        policy = (await client.get("/")).headers["Content-Security-Policy"]
    assert "connect-src 'self' https://sentry.example;" in policy
