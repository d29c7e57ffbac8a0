from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.wallet.support import jobs_finished


@pytest.fixture
async def client(unlimited: httpx.AsyncClient) -> httpx.AsyncClient:
    """The runbooks' commands are run against an API without rate limits."""
    unlimited.cookies.clear()
    return unlimited


@pytest.fixture(autouse=True)
async def _jobs_done_before_cleanup(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A test that ran the worker ends with its jobs finished, so none runs while the
    tables are emptied."""
    yield
    if "worker" in request.fixturenames:
        await jobs_finished()
