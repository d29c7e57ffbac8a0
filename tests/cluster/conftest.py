"""Digis as a cluster: every process real, sharing only what production hosts share.

Two API processes (A and B) on their own ports, two Celery workers and one beat, all with
MEDIA_STORAGE=s3 against the test S3 server and each with a MEDIA_ROOT of its own (which
must stay empty: nothing may lean on a shared disk); the session's PostgreSQL database;
a Redis of the cluster's own (broker, rate limits, live notifications). Rate limits are
on, as in production.

The cluster is started once for the package; API A may be killed by a test and is started
again before the next one. After each test the outbox is drained (no job of one test runs
during the next), the tables are emptied (`tests/conftest.py`), the rate-limit counters
and the bucket's corner are cleared.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus, OutboxJob
from tests.support.api_process import ApiProcess, api_server
from tests.support.cli import base_env, digis
from tests.support.redis_server import RedisServer
from tests.support.s3 import S3Target, s3_target
from tests.support.waiting import eventually
from tests.support.worker import Process, celery_beat, celery_worker, worker_env

# Short enough that a job whose message died with a process is published again quickly.
LEASES = {"webhooks": 5, "notifications": 5, "default": 5, "media": 30}
# The per-IP default limit counts every request of the suite (all from 127.0.0.1) in
# batches; it is not what these tests are about, so it is out of their way.
RATE_LIMIT_DEFAULT = "100000/minute"


@dataclass
class Cluster:
    """The cluster's processes, and what they share."""

    env: dict[str, str]  # what every process runs with, but MEDIA_ROOT
    logs: Path
    redis: RedisServer
    s3: S3Target
    prefix: str  # the cluster's corner of the bucket
    media_roots: dict[str, Path]  # each process's own, which must stay empty
    workers: list[Process] = field(default_factory=list)
    _apis: dict[str, ApiProcess] = field(default_factory=dict)
    _api_stacks: dict[str, AsyncExitStack] = field(default_factory=dict)

    @property
    def a(self) -> httpx.AsyncClient:
        return self._apis["a"].client

    @property
    def b(self) -> httpx.AsyncClient:
        return self._apis["b"].client

    def process_env(self, name: str) -> dict[str, str]:
        root = self.logs / f"media-{name}"
        root.mkdir(exist_ok=True)
        self.media_roots[name] = root
        return {**self.env, "MEDIA_ROOT": str(root)}

    async def start_api(self, name: str) -> None:
        stack = AsyncExitStack()
        log = self.logs / f"api-{name}.log"
        self._apis[name] = await stack.enter_async_context(
            api_server(self.process_env(f"api-{name}"), log)
        )
        self._api_stacks[name] = stack

    async def stop_api(self, name: str) -> None:
        await self._api_stacks.pop(name).aclose()
        del self._apis[name]

    def kill_api(self, name: str) -> None:
        """SIGKILL of the API's whole process group, in the middle of whatever it does."""
        self._apis[name].kill()

    async def revive(self) -> None:
        """Start again every API a test killed."""
        for name, api in list(self._apis.items()):
            if api.popen.poll() is not None:
                await self.stop_api(name)
                await self.start_api(name)

    def stored_on_disk(self) -> list[Path]:
        """Files in any process's MEDIA_ROOT: there must be none."""
        return sorted(
            p for root in self.media_roots.values() for p in root.rglob("*") if p.is_file()
        )

    async def forget_counters(self) -> None:
        """Every key of the cluster's namespace but the broker's: the rate-limit counters."""
        namespace = self.env["REDIS_NAMESPACE"]
        client = Redis.from_url(self.redis.url)
        try:
            async for key in client.scan_iter(match=f"{namespace}:*", count=500):
                if not key.decode().startswith(f"{namespace}:celery"):
                    await client.delete(key)
        finally:
            await client.aclose()

    async def stop(self) -> None:
        for name in list(self._apis):
            await self.stop_api(name)


@pytest.fixture(scope="package")
async def running_cluster(
    database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    logs = tmp_path_factory.mktemp("cluster")
    redis = RedisServer(logs / "redis").start()
    with ExitStack() as processes, s3_target(logs) as s3:
        prefix = f"digis-cluster-{uuid.uuid4().hex[:12]}"
        env = worker_env(
            base_env(),  # the session's database; moto's credentials, while s3_target runs
            REDIS_URL=redis.url,
            CELERY_BROKER_URL=redis.url,
            REDIS_NAMESPACE=f"digis-cluster-{uuid.uuid4().hex[:8]}",
            OUTBOX_LEASE_SECONDS=json.dumps(LEASES),
            OUTBOX_SWEEP_INTERVAL_SECONDS="0.5",
            RATE_LIMIT_ENABLED="true",
            RATE_LIMIT_DEFAULT=RATE_LIMIT_DEFAULT,
            **s3.media_env(prefix, public=False),  # thumbnails served by the APIs' /media/
        )
        env.pop("CELERY_QUEUE_PREFIX", None)  # the cluster's broker is its own Redis
        cluster = Cluster(env, logs, redis, s3, prefix, {})
        try:
            for name in ("worker-1", "worker-2"):
                started = celery_worker(cluster.process_env(name), logs / f"{name}.log")
                cluster.workers.append(processes.enter_context(started))
            processes.enter_context(celery_beat(cluster.process_env("beat"), logs / "beat.log"))
            await cluster.start_api("a")
            await cluster.start_api("b")
            yield cluster
        finally:
            await cluster.stop()
            processes.close()
            s3.remove(prefix)
            redis.kill()


@pytest.fixture
async def cluster(running_cluster: Cluster) -> AsyncIterator[Cluster]:
    """The cluster with both APIs up; what a test caused is finished and cleared after it."""
    await running_cluster.revive()
    yield running_cluster
    await eventually(
        lambda: OutboxJob.filter(status=JobStatus.PENDING).count(),
        lambda unfinished: unfinished == 0,
        within=60,
    )
    await running_cluster.forget_counters()
    running_cluster.s3.remove(running_cluster.prefix)


async def assert_reconciled() -> None:
    """`digis ledger reconcile`, as on-call runs it after an incident: clean."""
    ran = await digis("ledger", "reconcile", "--json", env=base_env())
    assert ran.returncode == 0, ran
    assert ran.json()["clean"] is True, ran
