from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from backend.settings import Settings
from tests.support.server import serve, with_overrides
from tests.support.worker import Process
from tests.wallet.support import assert_ledger_consistent, jobs_finished


@pytest.fixture
def corrupts_ledger() -> None:
    """Requested by tests that break the ledger on purpose (to see reconciliation find it)."""


@pytest.fixture(autouse=True)
async def _ledger_stays_consistent(
    request: pytest.FixtureRequest, database: str, worker: Process, beat: Process
) -> AsyncIterator[None]:
    """Every test ends with its jobs run and every money invariant holding (checked before
    the tables are emptied). Jobs written by the test process itself, which publishes
    nothing, reach the worker through the beat sweeper."""
    yield
    await jobs_finished()
    if "corrupts_ledger" not in request.fixturenames:
        await assert_ledger_consistent()


@pytest.fixture
async def client(module_api: httpx.AsyncClient) -> httpx.AsyncClient:
    module_api.cookies.clear()
    return module_api


@pytest.fixture(scope="session")
async def unlimited(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """An API without rate limits, for tests that send hundreds of requests at once."""
    async with serve(with_overrides(settings, rate_limit_enabled=False)) as client:
        yield client
