"""Failing jobs retry with growing delays, then stay visible as failed; killed workers
lose nothing."""

from __future__ import annotations

import itertools
import json
import operator
import os
import signal
import uuid
from functools import partial
from pathlib import Path

import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import Publisher
from backend.outbox.transaction import transaction
from tests.pipeline.conftest import PrivateBroker, wait_for_status
from tests.support.cli import digis
from tests.support.probe import Probe
from tests.support.waiting import eventually
from tests.support.worker import Process, celery_worker, worker_env

pytestmark = pytest.mark.worker


async def test_an_always_failing_job_backs_off_then_is_failed_with_its_error(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.always_fails", token)

    await wait_for_status(job_id, JobStatus.FAILED, within=60)
    job = await OutboxJob.get(id=job_id)
    assert job.last_error == f"RuntimeError: boom {token}"
    assert job.run_attempts == 4  # the first run and three retries

    attempts = [float(t) for t in await Probe(redis, token).items("attempts")]
    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    assert len(gaps) == 3
    # Backoff 0.5 * 2**n with equal jitter: each delay lies in [d/2, d], so each is at least
    # as long as the one before.
    assert gaps[0] >= 0.25
    assert gaps[1] >= gaps[0] * 0.9
    assert gaps[2] >= gaps[1] * 0.9


async def test_a_permanent_error_fails_at_once(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.permanent_failure", token)
    await wait_for_status(job_id, JobStatus.FAILED)
    assert await Probe(redis, token).count("runs") == 1
    job = await OutboxJob.get(id=job_id)
    assert job.last_error == f"PermanentJobError: cannot ever work {token}"


async def test_failed_jobs_are_listed_and_can_be_retried(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.permanent_failure", token)
    await wait_for_status(job_id, JobStatus.FAILED)

    listed = await digis("jobs", "failed", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["id"] for row in rows] == [job_id]
    assert rows[0]["last_error"].startswith("PermanentJobError")

    retried = await digis("jobs", "retry", str(job_id))
    assert retried.returncode == 0, retried.stderr
    await eventually(lambda: Probe(redis, token).count("runs"), lambda n: n == 2)
    await wait_for_status(job_id, JobStatus.FAILED)

    assert (await digis("jobs", "retry", "999999")).returncode != 0


async def test_a_worker_killed_mid_job_redelivers_and_the_effect_happens_once(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    env = worker_env(dict(os.environ), **private_broker.env)
    with celery_worker(env, tmp_path / "killed.log", concurrency=1) as killed:
        token = uuid.uuid4().hex
        async with transaction() as tx:
            job_id = await tx.enqueue("tests.slow_record", token, 3)
        probe = Probe(redis, token)
        await eventually(lambda: probe.count("runs"), lambda n: n == 1)
        [child] = killed.children()
        os.kill(child, signal.SIGKILL)

        await wait_for_status(job_id, JobStatus.SUCCEEDED, within=60)
        assert await probe.count("runs") == 2
        assert await probe.count("effects") == 1
        pids = await probe.items("pids")
        assert pids[0] == str(child)
        assert pids[1] != str(child)


async def test_many_jobs_in_one_process_share_one_pool_and_loop(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    env = worker_env(dict(os.environ), **private_broker.env)
    with celery_worker(env, tmp_path / "pool.log", concurrency=1):
        token = uuid.uuid4().hex
        job_ids = []
        for _ in range(40):
            async with transaction() as tx:
                job_ids.append(await tx.enqueue("tests.db_probe", token))
        probe = Probe(redis, token)
        await eventually(lambda: probe.count("runs"), lambda n: n == 40, within=60)
        for job_id in job_ids:
            await wait_for_status(job_id, JobStatus.SUCCEEDED)
        assert len(await probe.members("pids")) == 1
        pools = await probe.members("pools")
        assert len(pools) == 1
        assert "no pool" not in pools
        log = (tmp_path / "pool.log").read_text()
        assert "attached to a different loop" not in log
        assert "Traceback" not in log


async def test_a_job_whose_worker_keeps_dying_is_given_up(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    env = worker_env(dict(os.environ), **private_broker.env)
    with celery_worker(env, tmp_path / "doomed.log", concurrency=1) as doomed:
        token = uuid.uuid4().hex
        async with transaction() as tx:
            job_id = await tx.enqueue("tests.always_fails_slowly", token)
        probe = Probe(redis, token)
        # tests.always_fails_slowly allows 1 retry: at most 2 runs. Kill the worker under
        # each run; the third delivery must not run it again.
        for run in (1, 2):
            await eventually(lambda: probe.count("runs"), partial(operator.eq, run))
            [child] = await eventually(lambda: _children(doomed), lambda c: len(c) == 1)
            os.kill(child, signal.SIGKILL)

        await wait_for_status(job_id, JobStatus.FAILED, within=60)
        job = await OutboxJob.get(id=job_id)
        assert job.last_error is not None
        assert job.last_error.startswith("WorkerLostError: started 3 times")
        assert await probe.count("runs") == 2


async def _children(process: Process) -> list[int]:
    return process.children()
