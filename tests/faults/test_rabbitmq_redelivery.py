"""With RabbitMQ as the broker, a dead worker's message comes back from RabbitMQ itself.

Redis hands an unacknowledged message out again only after its visibility timeout (hours);
RabbitMQ requeues it the moment the worker's connection is gone. No beat runs here, so the
outbox sweeper cannot be what brings the job back: the queue holds the message again as
soon as the worker dies, a fresh worker runs it, and its effect happens once. The fresh
worker is on the same host, so it sees that the job's holder is dead (killed, maybe not yet
reaped) and takes the job over at once; a worker on another host would wait for the lease.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from backend.outbox import publisher
from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import Publisher
from backend.outbox.queue_depths import queue_depths
from backend.outbox.transaction import transaction
from backend.settings import Settings
from tests.support.brokers import BrokerTarget, private_target, requires_amqp_broker
from tests.support.probe import Probe
from tests.support.server import with_overrides
from tests.support.waiting import eventually
from tests.support.worker import celery_worker, worker_env

pytestmark = [requires_amqp_broker, pytest.mark.usefixtures("database"), pytest.mark.worker]


@pytest.fixture
def private(settings: Settings) -> Iterator[tuple[BrokerTarget, Settings]]:
    """Queues of this session no shared worker consumes from, and this process publishing
    to them (as the API does)."""
    target = private_target(settings)
    private_settings = with_overrides(settings, **target.overrides)
    previous = publisher.current()
    active = Publisher(private_settings)
    publisher.install(active)
    yield target, private_settings
    publisher.install(previous)
    active.close()


async def waiting_in_default(settings: Settings) -> int | None:
    depths, _error = await asyncio.to_thread(queue_depths, settings)
    return None if depths is None else depths["default"]


async def test_a_killed_workers_message_is_redelivered_by_rabbitmq_and_runs_once(
    private: tuple[BrokerTarget, Settings], redis: Redis, tmp_path: Path
) -> None:
    target, private_settings = private
    env = worker_env(dict(os.environ), **target.env)
    token = uuid.uuid4().hex
    probe = Probe(redis, token)
    with celery_worker(env, tmp_path / "killed.log", concurrency=1) as killed:
        async with transaction() as tx:
            job_id = await tx.enqueue("tests.slow_record", token, 5)
        await eventually(lambda: probe.count("runs"), lambda n: n == 1)
        os.killpg(killed.popen.pid, signal.SIGKILL)  # parent and child at once, no goodbye
        await asyncio.to_thread(killed.popen.wait)

    # Nobody consumes now: the unacknowledged message is back in RabbitMQ's queue.
    assert await eventually(lambda: waiting_in_default(private_settings), lambda n: n == 1)
    job = await OutboxJob.get(id=job_id)
    assert job.status == JobStatus.PENDING
    assert job.publish_attempts == 0  # the sweeper never published it again

    with celery_worker(env, tmp_path / "fresh.log", concurrency=1) as fresh:
        await eventually(
            lambda: OutboxJob.get(id=job_id), lambda j: j.status == JobStatus.SUCCEEDED, within=60
        )
        fresh_children = {str(pid) for pid in fresh.children()}

    assert await probe.count("runs") == 2
    assert await probe.count("effects") == 1
    first, second = await probe.items("pids")
    assert second in fresh_children
    assert first not in fresh_children
    assert (await OutboxJob.get(id=job_id)).publish_attempts == 0
