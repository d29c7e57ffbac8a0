"""Apps started one after another in one process all keep serving (the tests do this all
the time; see `_sanic_apps_side_by_side` in tests/conftest.py)."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis
from sanic import Request

from backend.http.sanic_types import App
from backend.settings import Settings
from tests.support.server import serve


def with_a_request_signal(app: App) -> None:
    @app.signal("http.lifecycle.request")
    async def seen(request: Request) -> None:
        request.ctx.seen = True


async def test_the_session_api_serves_after_an_app_with_more_signals_started(
    client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    assert (await client.get("/health/live")).status_code == 200
    async with serve(settings, with_a_request_signal) as later:
        assert (await later.get("/health/live")).status_code == 200
        assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/health/live")).status_code == 200
