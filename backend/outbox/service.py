"""The life of an outbox job: written with its domain rows, published, then finished.

`pending` -> `published` -> `succeeded`, or `failed` once its retries are exhausted.
Every step is one conditional UPDATE, so a job published twice or finished twice by a
redelivery never moves backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise import connections, timezone

from backend.observability.context import current_request_id
from backend.outbox.models import JobStatus, OutboxJob

ERROR_LIMIT = 4000


async def write_job(task: str, args: list[object]) -> OutboxJob:
    """Insert a job in the caller's transaction; use `transaction()` rather than this."""
    return await OutboxJob.create(task=task, args=args, request_id=current_request_id())


MARK_PUBLISHED = """
    UPDATE "outbox"
    SET "published_at" = COALESCE("published_at", now()),
        "publish_attempts" = "publish_attempts" + 1,
        "status" = CASE WHEN "status" = 'pending' THEN 'published' ELSE "status" END
    WHERE "id" = ANY($1::bigint[])
"""


async def mark_published(job_ids: list[int]) -> None:
    """Record the publication; a job that already finished (a fast worker) keeps its status."""
    await connections.get("default").execute_query(MARK_PUBLISHED, [job_ids])


async def unpublished(older_than: timedelta, limit: int = 500) -> list[OutboxJob]:
    """Pending jobs the fast path did not publish, locked so two sweepers never share one."""
    cutoff = timezone.now() - older_than
    return (
        await OutboxJob.filter(status=JobStatus.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .limit(limit)
        .select_for_update(skip_locked=True)
    )


# A job's run bookkeeping commits without waiting for the disk (`synchronous_commit` off
# for its own transaction only): a database crash can lose at most the last fraction of a
# second of it, which only means a job runs once more, as every job already tolerates.
START_ATTEMPT = """
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
    UPDATE "outbox" SET "run_attempts" = "run_attempts" + 1
    FROM relaxed
    WHERE "id" = $1 AND "status" NOT IN ('succeeded', 'failed')
    RETURNING "run_attempts"
"""


async def start_attempt(job_id: int) -> int | None:
    """Count a run of the job and return how many runs it has had; None when it already
    finished (a redelivery) or no longer exists. Outside any transaction (see above)."""
    rows = await connections.get("default").execute_query_dict(START_ATTEMPT, [job_id])
    return int(rows[0]["run_attempts"]) if rows else None


MARK_SUCCEEDED = """
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
    UPDATE "outbox" SET "status" = 'succeeded', "finished_at" = now(), "last_error" = NULL
    FROM relaxed
    WHERE "id" = $1 AND "status" <> 'succeeded'
"""


async def mark_succeeded(job_id: int) -> None:
    """Outside any transaction: its relaxed commit must not extend to a caller's."""
    await connections.get("default").execute_query(MARK_SUCCEEDED, [job_id])


async def record_error(job_id: int, error: BaseException, *, final: bool) -> None:
    """Keep the last error; on the final attempt the job becomes `failed`, never dropped."""
    message = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
    if final:
        await OutboxJob.filter(id=job_id).update(
            status=JobStatus.FAILED, last_error=message, finished_at=timezone.now()
        )
    else:
        await OutboxJob.filter(id=job_id).update(last_error=message)


REQUEUE = """
    UPDATE "outbox"
    SET "status" = 'pending', "finished_at" = NULL,
        "run_attempts" = CASE WHEN "status" = 'failed' THEN 0 ELSE "run_attempts" END
    WHERE "id" = $1 AND "status" <> 'succeeded'
    RETURNING "id"
"""


async def requeue(job_id: int) -> bool:
    """Make a failed (or stuck) job pending again so the sweeper publishes it. A failed job
    gets a fresh budget of runs: one that used them all would otherwise be given up at
    once; a job still in flight keeps its count."""
    rows = await connections.get("default").execute_query_dict(REQUEUE, [job_id])
    return bool(rows)


async def failed_jobs(limit: int = 100) -> list[OutboxJob]:
    return await OutboxJob.filter(status=JobStatus.FAILED).order_by("-id").limit(limit)


@dataclass(frozen=True)
class Backlog:
    pending: int
    published: int
    failed: int
    oldest_pending_age_seconds: float


async def backlog() -> Backlog:
    counts = {
        status: await OutboxJob.filter(status=status).count()
        for status in (JobStatus.PENDING, JobStatus.PUBLISHED, JobStatus.FAILED)
    }
    oldest = await OutboxJob.filter(status=JobStatus.PENDING).order_by("created_at").first()
    age = (timezone.now() - oldest.created_at).total_seconds() if oldest else 0.0
    return Backlog(
        counts[JobStatus.PENDING], counts[JobStatus.PUBLISHED], counts[JobStatus.FAILED], age
    )


async def prune(retention: timedelta) -> int:
    """Delete succeeded jobs older than the retention period; failed ones stay visible."""
    cutoff = timezone.now() - retention
    return await OutboxJob.filter(status=JobStatus.SUCCEEDED, finished_at__lt=cutoff).delete()
