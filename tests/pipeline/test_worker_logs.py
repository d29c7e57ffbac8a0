"""The worker's log: every line is in the file once logged, even from a child killed right
after; beat's housekeeping runs are logged at DEBUG, other tasks at INFO."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus
from backend.outbox.transaction import transaction
from tests.pipeline.conftest import PrivateBroker, wait_for_status
from tests.support.probe import Probe
from tests.support.waiting import eventually
from tests.support.worker import Process, celery_beat, celery_worker, worker_env

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


def _task_line(task: str, event: str) -> Any:
    def matches(line: dict[str, Any]) -> bool:
        message = str(line.get("msg"))
        return message.startswith(f"Task {task}[") and f"] {event}" in message

    return matches


async def test_housekeeping_runs_are_logged_at_debug_and_other_tasks_at_info(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    env = worker_env(dict(os.environ), LOG_LEVEL="DEBUG", **private_broker.env)
    with (
        celery_worker(env, tmp_path / "worker.log", concurrency=1) as worker,
        celery_beat(env, tmp_path / "beat.log") as beat,
    ):
        async with transaction() as tx:
            job_id = await tx.enqueue("tests.record", uuid.uuid4().hex)
        await wait_for_status(job_id, JobStatus.SUCCEEDED)
        sweep_lines = _wait_for_all(
            (beat, lambda line: "Sending due task outbox-sweep" in str(line.get("msg"))),
            (worker, _task_line("outbox.sweep", "received")),
            (worker, _task_line("outbox.sweep", "succeeded")),
        )
        job_lines = _wait_for_all(
            (worker, _task_line("tests.record", "received")),
            (worker, _task_line("tests.record", "succeeded")),
        )
    assert [line["level"] for line in sweep_lines] == ["DEBUG"] * 3
    assert [line["level"] for line in job_lines] == ["INFO"] * 2


def _wait_for_all(*expected: tuple[Process, Any]) -> list[dict[str, Any]]:
    return [process.wait_for_log(predicate) for process, predicate in expected]
