"""`@job`: a Celery task written as an async function, tracked through its outbox row.

    @job("notifications.notify_follow")
    async def notify_follow(follow_id: int) -> None:
        await notifications.service.notify_follow(follow_id)

Each run carries the originating request id into the log context. Failures retry with
exponential backoff and jitter; when retries run out the outbox row becomes `failed` with
the last error. A job raising `PermanentJobError` fails at once (retrying cannot help).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec

from celery import Task, signals
from loguru import logger

from backend.observability.context import request_id_var, task_id_var, task_name_var
from backend.outbox import service as outbox
from backend.settings import get_settings
from worker import metrics, runtime
from worker.app import celery_app

P = ParamSpec("P")
AsyncJob = Callable[P, Awaitable[None]]


def retry_delay(retries: int, base: float, maximum: float) -> float:
    """Exponential backoff with "equal jitter": every delay is longer than the one before
    (in [d/2, d] for d = base * 2**retries), and retries of many jobs never synchronise."""
    ceiling = min(maximum, base * 2.0**retries)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class PermanentJobError(Exception):
    """The job cannot succeed however often it runs (bad input, missing row for good)."""


class WorkerLostError(Exception):
    """The job was started more times than it may run, each time without finishing."""


def job(name: str, *, max_retries: int | None = None) -> Callable[[AsyncJob[P]], Task]:  # type: ignore[type-arg]
    settings = get_settings()
    retries = settings.task_max_retries if max_retries is None else max_retries
    lease = outbox.lease_for(name, settings)

    def decorator(function: AsyncJob[P]) -> Task:  # type: ignore[type-arg]
        @celery_app.task(name=name, bind=True, max_retries=retries, acks_late=True)
        def task(self: Task, *args: Any) -> None:  # type: ignore[type-arg]
            job_id = _enter_context(self, name)
            if job_id is not None and not runtime.run(_may_start(job_id, lease, retries + 1)):
                return
            try:
                runtime.run(_run(function, job_id, args))
            except PermanentJobError as error:
                _record_failure(job_id, error)
                logger.error("job failed permanently: {}", error)
            except Exception as error:
                if self.request.retries >= retries:
                    _record_failure(job_id, error)
                    logger.opt(exception=error).error("job failed after {} retries", retries)
                    raise
                countdown = retry_delay(
                    self.request.retries,
                    settings.task_retry_backoff_base,
                    settings.task_retry_backoff_max,
                )
                if job_id is not None:
                    runtime.run(outbox.record_retry(job_id, error, retry_in=countdown))
                metrics.TASK_RETRIES.labels(name).inc()
                logger.warning("job error, retry in {:.2f}s: {}", countdown, error)
                raise self.retry(exc=error, countdown=countdown) from error
            metrics.TASK_SUCCEEDED.labels(name).inc()

        return task

    return decorator


@signals.task_postrun.connect
def _leave_context(**_: Any) -> None:
    """The next task this process runs, a plain Celery one too, starts with no job's ids."""
    request_id_var.set(None)
    task_name_var.set(None)
    task_id_var.set(None)


def _enter_context(task: Task, name: str) -> int | None:  # type: ignore[type-arg]
    """Put the job's request id, name and task id on every log line it writes."""
    request_id_var.set(_header(task, "request_id"))
    task_name_var.set(name)
    task_id_var.set(task.request.id)
    job_id: int | None = _header(task, "outbox_job_id")
    return job_id


async def _may_start(job_id: int, lease: float, max_runs: int) -> bool:
    """Hold the job for its lease. False for a redelivery of a finished job, for a second
    copy of a job another worker is running, and for a job whose worker died under it on
    every run so far (it would otherwise be published again forever)."""
    runs = await outbox.claim(job_id, lease)
    if runs is outbox.Claim.FINISHED:
        logger.info("job {} already finished; skipping redelivery", job_id)
        return False
    if runs is outbox.Claim.HELD:
        logger.info("job {} is running in another worker; skipping this copy", job_id)
        return False
    if runs > max_runs:
        error = WorkerLostError(f"started {runs} times without finishing; its worker died")
        await outbox.record_failure(job_id, error)
        logger.error("job {} given up: {}", job_id, error)
        return False
    return True


async def _run(function: AsyncJob[Any], job_id: int | None, args: tuple[Any, ...]) -> None:
    await function(*args)
    if job_id is not None:
        await outbox.mark_succeeded(job_id)


def _record_failure(job_id: int | None, error: BaseException) -> None:
    metrics.TASK_FAILED.labels(task_name_var.get() or "unknown").inc()
    if job_id is not None:
        runtime.run(outbox.record_failure(job_id, error))


def _header(task: Task, name: str) -> Any:  # type: ignore[type-arg]
    value = getattr(task.request, name, None)
    if value is None and task.request.headers:
        value = task.request.headers.get(name)
    return value
