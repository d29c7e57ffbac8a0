"""The outbox's SQL for statements of other domains that add a job as they write.

A hot path that writes its rows in one statement adds its job in the same statement, so
both commit together. It does so only through `add_job`, never by naming the outbox's
columns itself: a new outbox column then cannot break it.

    FOLLOW = f'''
    WITH added AS (INSERT INTO "follows" ... RETURNING "id"),
    job AS ({add_job(source="added", task="$3", args='jsonb_build_array(added."id")',
                     request_id="$4", lease_seconds="$5")} RETURNING "id")
    SELECT ...'''

and runs it with `lease_for(FOLLOW_RECEIVED)` as `$5`.
"""

from __future__ import annotations

# The next job id, for a statement whose other rows must point at their job.
NEXT_JOB_ID = "nextval(pg_get_serial_sequence('outbox', 'id'))"


def add_job(
    *, source: str, task: str, args: str, request_id: str, lease_seconds: str,
    job_id: str | None = None,
) -> str:  # fmt: skip
    """`INSERT INTO "outbox" ... SELECT ... FROM <source>`: one pending job per row of
    `source` (a CTE of the caller's statement). Every other argument is a SQL expression
    over that row, usually a placeholder: the task's name, its JSON array of arguments,
    the request id, its queue's lease in seconds (see `service.lease_for`) and, when the
    caller's rows must refer to the job, its id (drawn with `NEXT_JOB_ID`). Add a
    RETURNING clause as needed."""
    columns = '"task", "args", "request_id", "status", "created_at", "available_at", ' + (
        '"publish_attempts", "run_attempts"'
    )
    values = (
        f"{task}, {args}, {request_id}, 'pending', now(), "
        f"now() + make_interval(secs => {lease_seconds}), 0, 0"
    )
    if job_id is not None:
        columns, values = f'"id", {columns}', f"{job_id}, {values}"
    return f'INSERT INTO "outbox" ({columns}) SELECT {values} FROM {source}'  # noqa: S608
