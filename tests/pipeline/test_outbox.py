"""Jobs commit with their transaction, run once after commit, and vanish with a rollback."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import Publisher
from backend.outbox.transaction import transaction
from backend.settings import Settings
from tests.pipeline.conftest import StartApi, wait_for_status
from tests.support.brokers import broker_url_at
from tests.support.probe import Probe
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually
from tests.support.worker import Process

pytestmark = pytest.mark.worker


async def test_a_committed_job_runs_after_commit(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.record", token)
        assert await Probe(redis, token).count("runs") == 0  # nothing runs before commit

    await wait_for_status(job_id, JobStatus.SUCCEEDED)
    probe = Probe(redis, token)
    assert await probe.count("runs") == 1
    assert await probe.count("effects") == 1
    job = await OutboxJob.get(id=job_id)
    assert job.started_at is not None
    assert job.run_attempts == 1


async def test_a_rolled_back_transaction_leaves_no_job(
    worker: Process, beat: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex

    class Abort(Exception):
        pass

    async def enqueue_then_fail() -> None:
        async with transaction() as tx:
            await tx.enqueue("tests.record", token)
            raise Abort

    with pytest.raises(Abort):
        await enqueue_then_fail()

    assert await OutboxJob.filter(args__contains=[token]).count() == 0
    # A committed job sent afterwards runs; the rolled-back one never does.
    marker = uuid.uuid4().hex
    async with transaction() as tx:
        later = await tx.enqueue("tests.record", marker)
    await wait_for_status(later, JobStatus.SUCCEEDED)
    assert await Probe(redis, token).count("runs") == 0


async def test_the_request_id_reaches_the_worker_log(
    worker: Process, start_api: StartApi, redis: Redis
) -> None:
    client = await start_api()
    token = uuid.uuid4().hex
    response = await client.post(
        "/api/test-jobs",
        json={"task": "tests.record", "args": [token]},
        headers={"X-Request-ID": f"trace-{token}"},
    )
    assert response.status_code == 201
    await wait_for_status(response.json()["job_id"], JobStatus.SUCCEEDED)
    line = worker.wait_for_log(
        lambda line: (
            line.get("request_id") == f"trace-{token}" and line.get("task_name") == "tests.record"
        )
    )
    assert line["task_id"].startswith("job-")
    job = await OutboxJob.get(id=response.json()["job_id"])
    assert job.request_id == f"trace-{token}"


async def test_redis_down_at_commit_then_the_sweeper_publishes_once(
    worker: Process,
    beat: Process,
    start_api: StartApi,
    redis: Redis,
    broker_proxy: TcpProxy,
    settings: Settings,
) -> None:
    client = await start_api(
        celery_broker_url=broker_url_at(settings, "127.0.0.1", broker_proxy.port)
    )
    await broker_proxy.stop()  # the broker is unreachable from the API

    token = uuid.uuid4().hex
    response = await client.post("/api/test-jobs", json={"task": "tests.record", "args": [token]})
    assert response.status_code == 201  # the user's request still succeeds
    job_id = response.json()["job_id"]
    job = await OutboxJob.get(id=job_id)
    assert job.status == JobStatus.PENDING

    # The beat sweeper (which reaches Redis) publishes it; it runs exactly once.
    await wait_for_status(job_id, JobStatus.SUCCEEDED)
    probe = Probe(redis, token)
    assert await probe.count("runs") == 1
    assert await probe.count("effects") == 1

    async def sweeper_said_so() -> bool:  # its line may follow the job's own
        return any("outbox sweeper published" in str(line.get("msg")) for line in worker.lines())

    await eventually(sweeper_said_so)


async def test_publishing_twice_still_runs_the_effect_once(
    worker: Process, publishing: Publisher, redis: Redis
) -> None:
    token = uuid.uuid4().hex
    async with transaction() as tx:
        job_id = await tx.enqueue("tests.record", token)
    await wait_for_status(job_id, JobStatus.SUCCEEDED)
    job = await OutboxJob.get(id=job_id)
    from backend.outbox.publisher import JobMessage

    # A redelivery of a finished job (a duplicate publish) is skipped.
    await publishing.publish([JobMessage(job.id, job.task, list(job.args), job.request_id)])
    await eventually(lambda: _skips(worker, job_id), lambda n: n >= 1, within=20)
    assert await Probe(redis, token).count("runs") == 1


async def _skips(worker: Process, job_id: int) -> int:
    return sum(
        1 for line in worker.lines() if f"job {job_id} already finished" in str(line.get("msg"))
    )
