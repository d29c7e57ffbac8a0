"""`digis outbox ...` and `digis jobs ...`: see and move the side-effect pipeline."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from backend.cli.runner import (
    Finding,
    Unavailable,
    UsageProblem,
    emit,
    json_option,
    load_settings_or_exit,
    run_with_db,
)
from backend.outbox import service, sweeper
from backend.outbox.models import OutboxJob
from backend.outbox.publisher import JobMessage, Publisher
from backend.outbox.queue_depths import queue_depths


@click.group()
def outbox() -> None:
    """The transactional outbox and the broker's queues."""


@outbox.command("status")
@json_option
def outbox_status(as_json: bool) -> None:
    """Pending jobs (how many a worker is running, how many the sweeper will publish again),
    failed jobs, the oldest waiting one's age, and how many messages wait in each broker
    queue (null when the broker is unreachable)."""
    settings = load_settings_or_exit()
    status: dict[str, Any] = asdict(run_with_db(service.backlog))
    status["queues"], status["broker_error"] = queue_depths(settings)
    emit(status, as_json=as_json, human=_status_text)


def _status_text(s: dict[str, Any]) -> str:
    lines = [
        f"pending: {s['pending']} (oldest waiting {s['oldest_pending_age_seconds']:.1f}s)",
        f"running: {s['running']}",
        f"overdue, to be published again: {s['overdue']}",
        f"failed: {s['failed']}",
    ]
    if s["queues"] is None:
        lines.append(f"queues: broker unreachable ({s['broker_error']})")
    else:
        lines.append("queues: " + ", ".join(f"{q} {n}" for q, n in s["queues"].items()))
    return "\n".join(lines)


@outbox.command("flush")
@json_option
def outbox_flush(as_json: bool) -> None:
    """Publish now every pending job no worker is running, due or not (after the broker
    lost its data, for example); exit 3 if the broker is down."""
    settings = load_settings_or_exit()

    async def flush() -> tuple[int, list[int]]:
        publisher = Publisher(settings)
        try:
            return await sweeper.flush(publisher, settings)
        finally:
            publisher.close()

    pending, sent = run_with_db(flush)
    emit(
        {"pending": pending, "published": sent},
        as_json=as_json,
        human=lambda d: f"published {len(d['published'])} of {d['pending']} pending job(s)",
    )
    if pending and not sent:
        raise Unavailable("the broker is unreachable; the jobs stay pending")


@click.group()
def jobs() -> None:
    """Side-effect jobs."""


@jobs.command("failed")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@json_option
def jobs_failed(limit: int, as_json: bool) -> None:
    """Jobs whose retries ran out, newest first, with their last error."""

    async def listing() -> list[dict[str, Any]]:
        return [_describe(job) for job in await service.failed_jobs(limit)]

    rows = run_with_db(listing)
    emit(rows, as_json=as_json, human=_table)


@jobs.command("retry")
@click.argument("job_id", type=int)
@json_option
def jobs_retry(job_id: int, as_json: bool) -> None:
    """Run a failed job again (it keeps its id; its effect still happens once).

    Exit 2 when no job has this id, 1 when it already succeeded.
    """

    async def retry() -> list[int]:
        job = await OutboxJob.get_or_none(id=job_id)
        if job is None:
            raise UsageProblem(f"no job has id {job_id}")
        if not await service.requeue(job_id):
            raise Finding(f"job {job_id} already succeeded; there is nothing to retry")
        job = await OutboxJob.get(id=job_id)
        return await _publish([job])

    sent = run_with_db(retry)
    emit(
        {"job_id": job_id, "published": bool(sent)},
        as_json=as_json,
        human=lambda d: (
            f"job {job_id} requeued and published"
            if d["published"]
            else f"job {job_id} requeued; the broker is unreachable, the sweeper will publish it"
        ),
    )


async def _publish(rows: list[OutboxJob]) -> list[int]:
    if not rows:
        return []
    publisher = Publisher(load_settings_or_exit())
    try:
        return await publisher.publish(
            [JobMessage(j.id, j.task, list(j.args), j.request_id) for j in rows]
        )
    finally:
        publisher.close()


def _describe(job: OutboxJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "task": job.task,
        "args": job.args,
        "status": job.status.value,
        "run_attempts": job.run_attempts,
        "last_error": job.last_error,
        "request_id": job.request_id,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no failed jobs"
    return "\n".join(
        f"{r['id']:>8}  {r['task']:<40} attempts={r['run_attempts']}  {r['last_error']}"
        for r in rows
    )
