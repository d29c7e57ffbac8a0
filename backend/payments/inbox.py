"""The Stripe event inbox: store each event once, process it once.

Receiving (the webhook route): insert the event keyed by its Stripe id, insert-or-nothing,
with the outbox row of its processing job in the same statement; only a new event gets
a job. A redelivery of an event not handled yet publishes that job again.

Processing (a `webhooks` job): lock the event row, apply it, mark it handled, in one
transaction; a second run finds it handled and does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from loguru import logger
from tortoise import timezone
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend import db
from backend.observability.context import current_request_id
from backend.outbox import publisher
from backend.outbox import service as outbox
from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import JobMessage
from backend.outbox.service import lease_for
from backend.outbox.statements import NEXT_JOB_ID, add_job
from backend.outbox.transaction import published_after_commit, transaction
from backend.payments import handlers
from backend.payments.models import StripeEvent
from backend.payments.webhook import VerifiedEvent

PROCESS_EVENT = "webhooks.process_stripe_event"

# Webhooks arrive in bursts, so receiving one is a single autocommitted statement: the
# event is inserted or nothing (keyed by Stripe's id), and only a new event gets its job,
# whose id comes from the outbox's sequence so the two rows point at each other.
RECEIVE_EVENT = f"""
WITH job AS (SELECT {NEXT_JOB_ID} AS id),
new_event AS (
    INSERT INTO "stripe_events"
        ("id", "type", "payload", "stripe_created_at", "received_at", "deliveries", "job_id")
    SELECT $1, $2, $3::jsonb, $4, now(), 1, job.id FROM job
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id", "job_id"
)
{add_job(
    source="new_event", job_id="new_event.job_id", task="$5",
    args="jsonb_build_array(new_event.id)", request_id="$6", lease_seconds="$7",
)}
RETURNING "id"
"""  # fmt: skip  # noqa: S608 - only the outbox's constant SQL is formatted in


class UnknownEvent(Exception):
    """A job names an event that is not in the inbox (pruned, or never stored)."""


async def receive(event: VerifiedEvent, raw_payload: str) -> bool:
    """Store a verified event and its job; False when it was already stored."""
    request_id = current_request_id()
    lease = lease_for(PROCESS_EVENT)
    row = await db.fetch_row(
        RECEIVE_EVENT,
        [event.id, event.type, raw_payload, event.created, PROCESS_EVENT, request_id, lease],
    )
    if row is None:
        await _redelivered(event.id)
        return False
    job_id = int(row["id"])
    published_after_commit([JobMessage(job_id, PROCESS_EVENT, [event.id], request_id)])
    return True


async def _redelivered(event_id: str) -> None:
    await StripeEvent.filter(id=event_id).update(deliveries=F("deliveries") + 1)
    requeued = await requeue(event_id)
    active = publisher.current()
    if requeued is not None and not requeued.fresh and active is not None:
        job = requeued.job  # a fresh job is published by its transaction
        active.publish_soon([JobMessage(job.id, job.task, list(job.args), job.request_id)])


@dataclass(frozen=True)
class Requeued:
    job: OutboxJob
    fresh: bool  # a new job (the event's own was gone), published after its commit


async def requeue(event_id: str) -> Requeued | None:
    """Make an unhandled event's job pending again (a new one if it is gone); None when
    the event is handled already. The caller publishes it (or the sweeper will)."""
    async with transaction() as tx:
        event = await StripeEvent.filter(id=event_id).select_for_update().first()
        if event is None:
            raise UnknownEvent(event_id)
        if event.handled_at is not None:
            return None
        if event.gave_up_at is not None:  # asked for again: it gets a fresh chance
            event.gave_up_at, event.outcome = None, None
            await event.save(update_fields=["gave_up_at", "outcome"])
        if event.job_id is not None and await outbox.requeue(event.job_id):
            return Requeued(await OutboxJob.get(id=event.job_id), fresh=False)
        event.job_id = await tx.enqueue(PROCESS_EVENT, event.id)
        await event.save(update_fields=["job_id"])
    return Requeued(await OutboxJob.get(id=event.job_id), fresh=True)


async def process(event_id: str) -> str | None:
    """Apply a stored event once; returns its outcome, None if it was already handled."""
    async with transaction() as tx:
        event = await StripeEvent.filter(id=event_id).select_for_update().first()
        if event is None:
            raise UnknownEvent(event_id)
        if event.handled_at is not None:
            return None
        outcome = await handlers.apply(event.type, event.payload, tx)
        event.handled_at = timezone.now()
        event.outcome = outcome[:200]
        await event.save(update_fields=["handled_at", "outcome"])
    logger.info("stripe event {} ({}): {}", event.id, event.type, outcome)
    return outcome


async def prune_handled(retention: timedelta) -> int:
    """Delete events handled longer ago than `retention`; unhandled ones always stay."""
    cutoff = timezone.now() - retention
    return await StripeEvent.filter(handled_at__lt=cutoff).delete()


async def redrive_stalled(give_up_after: timedelta) -> Redriven:
    """Requeue the jobs of unhandled events that ran out of retries while they waited (for
    their purchase, or its credit); the sweeper publishes them. An event still not applied
    `give_up_after` its arrival is given up instead: it keeps its last error as its outcome
    and is never retried on its own again (`digis stripe replay` still can). Events that
    can never be applied (a permanent failure) are left for a person to look at."""
    cutoff = timezone.now() - give_up_after
    requeued = given_up = 0
    async with in_transaction():
        waiting = await StripeEvent.filter(
            handled_at__isnull=True, gave_up_at__isnull=True, job_id__isnull=False
        ).select_for_update(skip_locked=True)
        jobs = await OutboxJob.filter(
            id__in=[event.job_id for event in waiting], status=JobStatus.FAILED
        ).exclude(last_error__startswith="PermanentJobError")
        stalled = {job.id: job for job in jobs}
        for event in waiting:
            job = stalled.get(event.job_id)
            if job is None:
                continue
            if event.received_at < cutoff:
                await _give_up(event, job)
                given_up += 1
            elif await outbox.requeue(job.id):
                requeued += 1
    if requeued or given_up:
        logger.info("stalled stripe events: {} requeued, {} given up", requeued, given_up)
    return Redriven(requeued, given_up)


@dataclass(frozen=True)
class Redriven:
    requeued: int
    given_up: int


async def _give_up(event: StripeEvent, job: OutboxJob) -> None:
    event.gave_up_at = timezone.now()
    event.outcome = f"gave up: {job.last_error or 'not applied in time'}"[:200]
    await event.save(update_fields=["gave_up_at", "outcome"])
    logger.warning("stripe event {} ({}) given up: {}", event.id, event.type, event.outcome)


@dataclass(frozen=True)
class EventSummary:
    id: str
    type: str
    received_at: str
    deliveries: int
    handled_at: str | None
    gave_up_at: str | None
    outcome: str | None
    job_status: str | None
    last_error: str | None


async def listing(*, unhandled: bool, limit: int = 100) -> list[EventSummary]:
    rows = StripeEvent.all()
    if unhandled:
        rows = rows.filter(handled_at__isnull=True)
    events = await rows.order_by("-received_at").limit(limit)
    jobs = {
        job.id: job for job in await OutboxJob.filter(id__in=[e.job_id for e in events if e.job_id])
    }
    return [_summary(event, jobs.get(event.job_id or 0)) for event in events]


def _summary(event: StripeEvent, job: OutboxJob | None) -> EventSummary:
    return EventSummary(
        id=event.id,
        type=event.type,
        received_at=event.received_at.isoformat(),
        deliveries=event.deliveries,
        handled_at=event.handled_at.isoformat() if event.handled_at else None,
        gave_up_at=event.gave_up_at.isoformat() if event.gave_up_at else None,
        outcome=event.outcome,
        job_status=job.status.value if job else None,
        last_error=job.last_error if job else None,
    )
