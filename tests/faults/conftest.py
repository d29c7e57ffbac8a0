"""The fault suite's stack: API, workers and beat as real processes, on a Redis the test owns.

Every process of a test talks to that Redis (broker, rate limits, live notices), so the
test can kill it or bring it back empty; leases are a few seconds, so recovery is quick.
The Stripe emulator only records its events (a checkout is paid there); the test delivers
them, signed, to the API process.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from backend.outbox.models import OutboxJob
from backend.settings import Settings
from tests.payments.stack import Stack, recording_stack
from tests.support.api_process import api_process
from tests.support.cli import base_env, digis
from tests.support.redis_server import RedisServer
from tests.support.worker import Process, celery_beat, celery_worker, worker_env

REPORT_LINES = 40
LEASES = {"webhooks": 3, "notifications": 3, "default": 3, "media": 10}


@dataclass
class Faults:
    """The processes of one test, and the Redis they share."""

    redis: RedisServer
    env: dict[str, str]
    logs: Path
    workers: list[Process] = field(default_factory=list)

    @contextmanager
    def worker(self, name: str, *, queues: str | None = None) -> Iterator[Process]:
        """A worker process (prefork, two children) serving every queue, or `queues`."""
        log = self.logs / f"{name}.log"
        started = (
            celery_worker(self.env, log, queues=queues) if queues else celery_worker(self.env, log)
        )
        with started as process:
            self.workers.append(process)
            yield process

    @contextmanager
    def beat(self) -> Iterator[Process]:
        with celery_beat(self.env, self.logs / "beat.log") as process:
            yield process

    def api(self, **overrides: str) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        """The API as its own process, with this test's environment (and `overrides`)."""
        return api_process({**self.env, **overrides}, self.logs / "api.log")

    async def report(self) -> str:
        """What a failed recovery needs to be understood: the outbox's jobs and the last
        lines each process logged (which one stalled: the API, beat, a worker)."""
        jobs = await OutboxJob.all().order_by("id").values_list(
            "id", "task", "status", "publish_attempts", "run_attempts", "available_at",
            "lease_until", "last_error",
        )  # fmt: skip
        parts = ["outbox jobs (id, task, status, published, runs, available, lease, error):"]
        parts += [f"  {job}" for job in jobs]
        for log in sorted(self.logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()
            wanted = [line for line in lines if '"level":"DEBUG"' not in line][-REPORT_LINES:]
            parts += [f"--- {log.name} (last {len(wanted)} lines above DEBUG) ---", *wanted]
        return "\n".join(parts)


@pytest.fixture
def faults(database: str, tmp_path: Path) -> Iterator[Faults]:
    redis = RedisServer(tmp_path / "redis").start()
    env = worker_env(
        base_env(),
        REDIS_URL=redis.url,
        CELERY_BROKER_URL=redis.url,
        REDIS_NAMESPACE=f"digis-faults-{uuid.uuid4().hex[:8]}",
        OUTBOX_LEASE_SECONDS=json.dumps(LEASES),
        OUTBOX_SWEEP_INTERVAL_SECONDS="0.5",
        RATE_LIMIT_ENABLED="false",
    )
    try:
        yield Faults(redis, env, tmp_path)
    finally:
        redis.kill()


@pytest.fixture
async def recorder(settings: Settings, redis: Redis) -> AsyncIterator[Stack]:
    """Checkouts are started and paid here; their events are only recorded."""
    async with recording_stack(settings, rate_limit_enabled=False) as running:
        yield running


async def assert_reconciled() -> None:
    """`digis ledger reconcile`, as on-call runs it after an incident: clean."""
    ran = await digis("ledger", "reconcile", "--json", env=dict(os.environ))
    assert ran.returncode == 0, ran
    assert ran.json()["clean"] is True
