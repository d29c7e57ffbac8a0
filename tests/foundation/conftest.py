from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, Field
from redis.asyncio import Redis
from sanic import HTTPResponse, Request, json

from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.sanic_types import App
from backend.http.validation import json_body
from backend.settings import Settings
from tests.support.server import serve, with_overrides

StartApi = Callable[..., Awaitable[httpx.AsyncClient]]


class Greeting(BaseModel):
    name: str = Field(min_length=2, max_length=20)
    times: int = Field(ge=1, le=3)


TIGHT = RatePolicy("tight", "2/minute")


def probe_routes(app: App) -> None:
    """Routes that exist only in these tests, to reach each error path."""

    @app.get("/api/ping")
    async def ping(request: Request) -> HTTPResponse:
        return json({"pong": True})

    @app.post("/api/greet")
    @json_body(Greeting)
    async def greet(request: Request, body: Greeting) -> HTTPResponse:
        return json({"greeting": " ".join([f"hi {body.name}"] * body.times)})

    @app.get("/api/tight")
    @rate_limited(TIGHT)
    async def tight(request: Request) -> HTTPResponse:
        return json({"ok": True})

    @app.get("/api/slow")
    async def slow(request: Request) -> HTTPResponse:
        await asyncio.sleep(5)
        return json({"slow": True})

    @app.get("/api/boom")
    async def boom(request: Request) -> HTTPResponse:
        raise RuntimeError("kaboom: secret internals")


@pytest.fixture
async def start_api(settings: Settings, redis: Redis) -> AsyncIterator[StartApi]:
    """Start an API with these tests' probe routes and any settings overrides."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> httpx.AsyncClient:
            custom = with_overrides(settings, **overrides)
            return await stack.enter_async_context(serve(custom, probe_routes))

        yield start
