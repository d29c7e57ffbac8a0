from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from backend.settings import Settings
from tests.payments.stack import Stack, live_stack, recording_stack
from tests.support.brokers import BrokerTarget, broker_address, private_target
from tests.support.server import serve, with_overrides
from tests.support.tcp_proxy import TcpProxy
from tests.support.worker import Process
from tests.wallet.support import assert_ledger_consistent, jobs_finished


@pytest.fixture(scope="session")
async def stack(settings: Settings, redis: Redis) -> AsyncIterator[Stack]:
    """The API and an emulator that delivers its webhooks to it, as Stripe does."""
    async with live_stack(settings, rate_limit_enabled=False) as running:
        yield running


@pytest.fixture(scope="session")
async def recorder(settings: Settings, redis: Redis) -> AsyncIterator[Stack]:
    """The API and an emulator that only records events: the test delivers them."""
    async with recording_stack(settings, rate_limit_enabled=False) as running:
        yield running


@pytest.fixture(autouse=True)
async def _ledger_stays_consistent(
    database: str, redis: Redis, worker: Process
) -> AsyncIterator[None]:
    """Every test ends with its jobs run and every money invariant holding (checked before
    the tables are emptied)."""
    yield
    await jobs_finished()
    await assert_ledger_consistent()


@pytest.fixture
async def broker_proxy(settings: Settings) -> AsyncIterator[TcpProxy]:
    """A cuttable path to the broker, standing in for a broker outage seen by one API."""
    proxy = TcpProxy(*broker_address(settings))
    await proxy.start()
    yield proxy
    await proxy.stop()


@pytest.fixture
def private_broker(settings: Settings) -> BrokerTarget:
    """A broker no worker of the session consumes from (for a test that kills its own)."""
    return private_target(settings)


StartApi = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def start_api(settings: Settings, redis: Redis) -> AsyncIterator[StartApi]:
    """Start an extra API with some settings changed (stopped after the test)."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> httpx.AsyncClient:
            custom = with_overrides(settings, rate_limit_enabled=False, **overrides)
            return await stack.enter_async_context(serve(custom))

        yield start
