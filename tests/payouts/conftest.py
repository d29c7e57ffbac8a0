"""Payouts against the Stripe emulator's Connect, through the real SDK, with a real worker.

The module's API, emulator and worker share a broker namespace of their own: the payout
job calls Stripe, so it must run in a worker pointed at this emulator, never in the
session's worker.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sanic import Sanic
from tortoise import timezone

from backend.http.sanic_types import App
from backend.settings import Settings
from tests.support import server as api_server
from tests.support.server import with_overrides
from tests.support.worker import (
    ALL_QUEUES,
    Process,
    celery_beat,
    celery_worker,
    worker_env,
)
from tests.wallet.support import assert_ledger_consistent, jobs_finished
from tools.stripe_emulator import EmulatorConfig, Running, serve

PLATFORM_PATH = "/api/webhooks/stripe"
CONNECT_PATH = "/api/webhooks/stripe/connect"


@dataclass
class Clock:
    """The API's clock, which a test moves (the earnings hold)."""

    offset: float = 0.0

    def __call__(self) -> datetime:
        return timezone.now() + timedelta(seconds=self.offset)


@dataclass
class PayoutStack:
    api: httpx.AsyncClient
    emulator: Running
    control: httpx.AsyncClient  # the emulator's /_emulator endpoints and pages
    worker: Process
    env: dict[str, str]
    clock: Clock = field(default_factory=Clock)


def _bound_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def payout_stack(
    settings: Settings,
    logs: Path,
    *,
    with_beat: bool = False,
    queues: str = ALL_QUEUES,
    **env_overrides: str,
) -> AsyncIterator[PayoutStack]:
    """API, emulator and a worker serving `queues` (and beat), on a broker namespace of
    their own."""
    sock = _bound_socket()
    api_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    Sanic.test_mode = True
    config = EmulatorConfig(
        host="127.0.0.1", port=0, webhook_url=api_url + PLATFORM_PATH,
        connect_webhook_url=api_url + CONNECT_PATH, payout_delay=0.05, retry_base=0.05,
        retry_cap=0.5, max_attempts=20,
    )  # fmt: skip
    namespace = f"{settings.redis_namespace}-payouts-{uuid.uuid4().hex[:6]}"
    clock = Clock()
    async with serve(config) as emulator:
        custom = with_overrides(
            settings, stripe_api_base=emulator.api_base, redis_namespace=namespace,
            rate_limit_enabled=False, earnings_hold_days=0,
        )  # fmt: skip
        env = worker_env(
            dict(os.environ), STRIPE_API_BASE=emulator.api_base, REDIS_NAMESPACE=namespace,
            EARNINGS_HOLD_DAYS="0", **env_overrides,
        )  # fmt: skip

        def with_clock(app: App) -> None:
            app.ctx.clock = clock

        with ExitStack() as processes:
            worker = processes.enter_context(celery_worker(env, logs / "worker.log", queues=queues))
            if with_beat:
                processes.enter_context(celery_beat(env, logs / "beat.log"))
            async with (
                api_server.serve(custom, with_clock, sock=sock) as api,
                httpx.AsyncClient(base_url=emulator.api_base, timeout=30) as control,
            ):
                yield PayoutStack(api, emulator, control, worker, env, clock)


@pytest.fixture(scope="module")
async def payouts(
    settings: Settings, redis: Redis, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[PayoutStack]:
    async with payout_stack(settings, tmp_path_factory.mktemp("payouts")) as stack:
        yield stack


@pytest.fixture(autouse=True)
async def _money_stays_consistent(payouts: PayoutStack) -> AsyncIterator[None]:
    """Every test ends with its jobs run and every money invariant holding."""
    payouts.clock.offset = 0.0
    yield
    await jobs_finished()
    await assert_ledger_consistent()
