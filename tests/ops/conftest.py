from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from backend.settings import Settings
from tests.support.server import serve, with_overrides
from tests.wallet.support import jobs_finished


@pytest.fixture(scope="module")
async def module_api(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """This module's own API, without rate limits (see `module_api` in tests/conftest.py)."""
    async with serve(with_overrides(settings, rate_limit_enabled=False)) as client:
        yield client


@pytest.fixture
async def client(module_api: httpx.AsyncClient) -> httpx.AsyncClient:
    module_api.cookies.clear()
    return module_api


@pytest.fixture(autouse=True)
async def _jobs_done_before_cleanup(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A test that ran the worker ends with its jobs finished, so none runs while the
    tables are emptied."""
    yield
    if "worker" in request.fixturenames:
        await jobs_finished()
