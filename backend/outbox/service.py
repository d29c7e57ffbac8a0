"""The life of an outbox job: written with its domain rows, run by a worker, finished.

A job is `pending` from its commit until it has `succeeded` or `failed`. Each step is one
conditional UPDATE, so a job published twice or finished twice never moves backwards:
- written: `available_at` is set to now plus its queue's lease, the moment it is presumed
  lost if no worker has taken it by then. Publishing it writes nothing more.
- claimed by a worker (`claim`): the worker holds it for the lease (`lease_until`), so a
  second copy of its message is skipped while it runs; a worker that dies loses the job
  when the lease runs out, and the sweeper publishes it again.
- an attempt failed and will be retried (`record_retry`): the hold ends and the job is
  presumed lost only once its retry should have started.
- finished (`mark_succeeded`, `record_failure`).
The sweeper (`backend/outbox/sweeper.py`) publishes every pending job whose `available_at`
has passed and that no worker holds, however its message went missing.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from pathlib import Path

from tortoise import connections, timezone

from backend.observability.context import current_request_id
from backend.outbox.broker import route_for
from backend.outbox.models import JobStatus, OutboxJob
from backend.settings import Settings, get_settings

ERROR_LIMIT = 4000
LEGACY_PUBLISHED = "published"  # the status older releases gave a job they had sent


def lease_for(task: str, settings: Settings | None = None) -> float:
    """Seconds a job of `task` may wait for a worker, or run, before it is presumed lost."""
    return (settings or get_settings()).outbox_lease_seconds.for_queue(route_for(task))


async def write_job(task: str, args: list[object], *, published: bool) -> OutboxJob:
    """Insert a job in the caller's transaction; use `transaction()` rather than this.
    A job that no publisher will send after the commit (`published` false: a command, a
    script) is due for the sweeper at once; one that will be sent is presumed lost only
    after its queue's lease."""
    due = timezone.now()
    if published:
        due += timedelta(seconds=lease_for(task))
    return await OutboxJob.create(
        task=task, args=args, request_id=current_request_id(), available_at=due
    )


MARK_UNSENT = """
    UPDATE "outbox" SET "available_at" = now()
    WHERE "id" = ANY($1::bigint[]) AND "status" = 'pending' AND "lease_until" IS NULL
"""


async def mark_unsent(job_ids: list[int]) -> None:
    """The broker did not take these jobs: make them due for the sweeper now."""
    await connections.get("default").execute_query(MARK_UNSENT, [job_ids])


class Claim(Enum):
    """Why a worker may not run the copy of a job it received."""

    FINISHED = "finished"  # a redelivery of a job that already succeeded or failed
    HELD = "held"  # another worker is running it now (a duplicate message)


# A job's run bookkeeping commits without waiting for the disk (`synchronous_commit` off
# for its own transaction only): a database crash can lose at most the last fraction of a
# second of it, which only means a job runs once more, as every job already tolerates.
# $4: a holder known to be dead, whose hold is taken over before its lease runs out.
CLAIM = """
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
    UPDATE "outbox"
    SET "run_attempts" = "run_attempts" + 1, "started_at" = now(),
        "lease_until" = now() + make_interval(secs => $2), "lease_holder" = $3
    FROM relaxed
    WHERE "id" = $1 AND "status" IN ('pending', 'published')
      AND ("lease_until" IS NULL OR "lease_until" <= now() OR "lease_holder" = $4)
    RETURNING "run_attempts"
"""
HOLDER = 'SELECT "status", "lease_holder" FROM "outbox" WHERE "id" = $1'


@dataclass(frozen=True)
class Holder:
    """A worker process holding jobs: "<host>:<pid>"."""

    host: str
    pid: int

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"

    @classmethod
    def this_process(cls) -> Holder:
        return cls(socket.gethostname(), os.getpid())

    @classmethod
    def parse(cls, value: str | None) -> Holder | None:
        host, _, pid = (value or "").rpartition(":")
        return cls(host, int(pid)) if host and pid.isdigit() else None

    def is_gone(self) -> bool:
        """True only for a process of this host that no longer runs (a killed worker child
        whose message Celery handed to a sibling, or RabbitMQ to a fresh worker); others are
        trusted to their lease."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return _is_zombie(self.pid)


def _is_zombie(pid: int) -> bool:
    """Killed but not yet reaped (its parent died with it and init has not waited for it
    yet): it runs nothing any more. Where there is no /proc, the lease decides."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


async def claim(job_id: int, lease_seconds: float) -> int | Claim:
    """Hold the job for this run: how many runs it has had, this one included; or why it
    must not run (outside any transaction, see above). A hold whose worker process is
    known to be dead is taken over at once; a job that no longer exists counts as finished
    (pruned long after it was done)."""
    db = connections.get("default")
    me = str(Holder.this_process())
    rows = await db.execute_query_dict(CLAIM, [job_id, lease_seconds, me, None])
    if rows:
        return int(rows[0]["run_attempts"])
    found = await db.execute_query_dict(HOLDER, [job_id])
    if not found or found[0]["status"] not in (JobStatus.PENDING, LEGACY_PUBLISHED):
        return Claim.FINISHED
    holder = Holder.parse(found[0]["lease_holder"])
    if holder is not None and holder.is_gone():
        rows = await db.execute_query_dict(CLAIM, [job_id, lease_seconds, me, str(holder)])
        if rows:
            return int(rows[0]["run_attempts"])
    return Claim.HELD


MARK_SUCCEEDED = """
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
    UPDATE "outbox"
    SET "status" = 'succeeded', "finished_at" = now(), "last_error" = NULL,
        "lease_until" = NULL, "lease_holder" = NULL
    FROM relaxed
    WHERE "id" = $1 AND "status" <> 'succeeded'
"""


async def mark_succeeded(job_id: int) -> None:
    """Outside any transaction: its relaxed commit must not extend to a caller's."""
    await connections.get("default").execute_query(MARK_SUCCEEDED, [job_id])


RECORD_RETRY = """
    UPDATE "outbox"
    SET "last_error" = $2, "lease_until" = NULL, "lease_holder" = NULL,
        "available_at" = now() + make_interval(secs => $3)
    WHERE "id" = $1 AND "status" = 'pending'
"""


async def record_retry(job_id: int, error: BaseException, *, retry_in: float) -> None:
    """Keep the error and give up the hold: the retry's own message runs it in `retry_in`
    seconds, and should that message be lost, the sweeper publishes the job a lease later."""
    job = await OutboxJob.get_or_none(id=job_id).only("task")
    lease = lease_for(job.task) if job is not None else 0.0
    await connections.get("default").execute_query(
        RECORD_RETRY, [job_id, _describe(error), retry_in + lease]
    )


async def record_failure(job_id: int, error: BaseException) -> None:
    """The job failed for good (retries exhausted, or it can never succeed): `failed`,
    with its last error, visible to `digis jobs failed`; never dropped."""
    await (
        OutboxJob.filter(id=job_id)
        .exclude(status=JobStatus.SUCCEEDED)
        .update(
            status=JobStatus.FAILED,
            last_error=_describe(error),
            finished_at=timezone.now(),
            lease_until=None,
        )
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LIMIT]


REQUEUE = """
    UPDATE "outbox"
    SET "status" = 'pending', "finished_at" = NULL, "available_at" = now(),
        "run_attempts" = CASE WHEN "status" = 'failed' THEN 0 ELSE "run_attempts" END
    WHERE "id" = $1 AND "status" <> 'succeeded'
    RETURNING "id"
"""


async def requeue(job_id: int) -> bool:
    """Make a failed (or waiting) job due now, so the caller or the sweeper publishes it.
    A failed job gets a fresh budget of runs: one that used them all would otherwise be
    given up at once; a job still in flight keeps its count (and its worker's hold)."""
    rows = await connections.get("default").execute_query_dict(REQUEUE, [job_id])
    return bool(rows)


async def failed_jobs(limit: int = 100) -> list[OutboxJob]:
    return await OutboxJob.filter(status=JobStatus.FAILED).order_by("-id").limit(limit)


@dataclass(frozen=True)
class Backlog:
    pending: int  # not finished: waiting for a worker, or running
    running: int  # held by a worker now
    overdue: int  # presumed lost: the sweeper's next run publishes it again
    failed: int
    oldest_pending_age_seconds: float  # of the jobs not running


BACKLOG = """
    SELECT count(*) AS "pending",
           count(*) FILTER (WHERE "lease_until" > now()) AS "running",
           count(*) FILTER (WHERE ("lease_until" IS NULL OR "lease_until" <= now())
                              AND ("available_at" IS NULL OR "available_at" <= now()))
               AS "overdue",
           COALESCE(EXTRACT(EPOCH FROM now() - min("created_at") FILTER (
               WHERE "lease_until" IS NULL OR "lease_until" <= now())), 0)::float8 AS "oldest"
    FROM "outbox" WHERE "status" = 'pending'
"""


async def backlog() -> Backlog:
    row = (await connections.get("default").execute_query_dict(BACKLOG))[0]
    return Backlog(
        pending=int(row["pending"]),
        running=int(row["running"]),
        overdue=int(row["overdue"]),
        failed=await OutboxJob.filter(status=JobStatus.FAILED).count(),
        oldest_pending_age_seconds=float(row["oldest"]),
    )


async def prune(retention: timedelta) -> int:
    """Delete succeeded jobs older than the retention period; failed ones stay visible."""
    cutoff = timezone.now() - retention
    return await OutboxJob.filter(status=JobStatus.SUCCEEDED, finished_at__lt=cutoff).delete()
