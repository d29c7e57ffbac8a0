"""The sweeper: publish again every pending job whose message is presumed lost.

A job is due when its `available_at` has passed and no worker holds it: the broker was
down when it committed, the process died before sending it, the broker lost its message
(Redis came back empty), or the worker running it died. Beat runs `sweep` every
`OUTBOX_SWEEP_INTERVAL_SECONDS`; `digis outbox flush` runs `flush`. Each publication
pushes the job's `available_at` a lease further, doubling each time up to
`OUTBOX_REPUBLISH_MAX_SECONDS`, so that jobs no worker takes (all workers down) are not
sent again on every sweep. A job published twice still runs once: the worker that gets
the second copy finds it held or finished (`service.claim`).
"""

from __future__ import annotations

import json

from loguru import logger
from tortoise.transactions import in_transaction

from backend.outbox.publisher import JobMessage, Publisher
from backend.outbox.service import lease_for
from backend.settings import Settings

BATCH = 500

# Locked (SKIP LOCKED) so that two sweepers never publish the same job at once.
DUE = """
    SELECT "id", "task", "args", "request_id" FROM "outbox"
    WHERE "status" = 'pending' AND ("available_at" <= now() OR "available_at" IS NULL)
      AND ("lease_until" IS NULL OR "lease_until" <= now())
    ORDER BY "available_at" NULLS FIRST LIMIT $1
    FOR UPDATE SKIP LOCKED
"""
# Every job no worker holds, due or not, including those an older release marked
# `published`; in id order, after $2.
WAITING = """
    SELECT "id", "task", "args", "request_id" FROM "outbox"
    WHERE "status" IN ('pending', 'published') AND "id" > $2
      AND ("lease_until" IS NULL OR "lease_until" <= now())
    ORDER BY "id" LIMIT $1
    FOR UPDATE SKIP LOCKED
"""
MARK_REPUBLISHED = """
    UPDATE "outbox" AS o
    SET "status" = 'pending', "published_at" = now(),
        "publish_attempts" = o."publish_attempts" + 1,
        "available_at" = now() + make_interval(
            secs => LEAST($3::float8, sent.lease * 2 ^ LEAST(o."publish_attempts", 16)))
    FROM unnest($1::bigint[], $2::float8[]) AS sent(id, lease)
    WHERE o."id" = sent.id AND o."status" IN ('pending', 'published')
"""


async def sweep(publisher: Publisher, settings: Settings) -> int:
    """Publish the jobs that are due, a batch at a time; returns how many went out."""
    total = 0
    while True:
        found, sent = await _publish(DUE, [BATCH], publisher, settings)
        total += len(sent)
        if len(found) < BATCH or len(sent) < len(found):
            break
    if total:
        logger.info("outbox sweeper published {} job(s)", total)
    return total


async def flush(publisher: Publisher, settings: Settings) -> tuple[int, list[int]]:
    """Publish every job that no worker holds, due or not (an operator's flush, for
    instance after the broker lost its data): how many waited, and the ids that went."""
    waiting, after = 0, 0
    sent: list[int] = []
    while True:
        found, went = await _publish(WAITING, [BATCH, after], publisher, settings)
        waiting, sent = waiting + len(found), sent + went
        if len(found) < BATCH or len(went) < len(found):
            return waiting, sent
        after = found[-1].id


async def _publish(
    query: str, args: list[int], publisher: Publisher, settings: Settings
) -> tuple[list[JobMessage], list[int]]:
    """Select jobs with `query` (rows locked), send them, and push each one's
    `available_at` further; the jobs found and the ids sent."""
    async with in_transaction() as connection:
        rows = await connection.execute_query_dict(query, args)
        jobs = [JobMessage(r["id"], r["task"], _args(r["args"]), r["request_id"]) for r in rows]
        sent = await publisher.send(jobs) if jobs else []
        if sent:  # all of them: a batch goes out whole or not at all
            leases = [lease_for(job.task, settings) for job in jobs]
            await connection.execute_query(
                MARK_REPUBLISHED, [sent, leases, settings.outbox_republish_max_seconds]
            )
    return jobs, sent


def _args(value: object) -> list[object]:
    """A job's arguments as asyncpg hands over a JSONB column: its text."""
    parsed = json.loads(value) if isinstance(value, str) else value
    return list(parsed) if isinstance(parsed, list) else []
