"""The worker's log: every line is in the file once logged, even from a child killed right
after."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus
from backend.outbox.transaction import transaction
from tests.pipeline.conftest import PrivateBroker, wait_for_status
from tests.support.probe import Probe
from tests.support.waiting import eventually
from tests.support.worker import celery_worker, worker_env

pytestmark = pytest.mark.worker


async def test_a_child_killed_right_after_logging_a_line_has_it_in_the_log(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    env = worker_env(dict(os.environ), **private_broker.env)
    with celery_worker(env, tmp_path / "killed.log", concurrency=1) as worker:
        token = uuid.uuid4().hex
        async with transaction() as tx:
            job_id = await tx.enqueue("tests.last_words", token)
        # The job records its pid once its INFO line has been logged, then runs on.
        [pid] = await eventually(lambda: Probe(redis, token).items("pids"))
        assert str(pid) in map(str, worker.children())
        os.kill(int(pid), signal.SIGKILL)

        last_words = f"last words {token} from {pid}"
        [line] = [line for line in worker.lines() if line.get("msg") == last_words]
        assert (line["level"], line["process"], line["task_name"]) == (
            "INFO", "worker", "tests.last_words",
        )  # fmt: skip
        # The job may run once: its redelivery is given up, not run again.
        await wait_for_status(job_id, JobStatus.FAILED)
