"""Worker processes keep what they inherited at start-up out of the garbage collector's
full passes (worker/app.py)."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus
from backend.outbox.publisher import Publisher
from backend.outbox.transaction import transaction
from tests.pipeline.conftest import wait_for_status
from tests.support.probe import Probe
from tests.support.worker import Process

pytestmark = pytest.mark.worker


async def test_a_worker_process_runs_jobs_with_its_start_up_objects_frozen(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.gc_probe", token)
    await wait_for_status(job_id, JobStatus.SUCCEEDED)
    [frozen] = await Probe(redis, token).items("frozen")
    assert int(frozen) > 10_000
