"""Payment jobs: Stripe events (the `webhooks` queue), their notices, and clean-ups."""

from __future__ import annotations

import uuid
from datetime import timedelta

from loguru import logger

from backend.idempotency import keys as idempotency
from backend.payments import inbox, notices, settlement
from backend.payments.handlers import UnusableEvent
from backend.settings import get_settings
from backend.wallet import notices as wallet_notices
from backend.wallet.tips import NOTIFY_TIP_RECEIVED
from worker import runtime
from worker.app import celery_app
from worker.jobs import PermanentJobError, job


@job(inbox.PROCESS_EVENT)
async def process_stripe_event(event_id: str) -> None:
    try:
        await inbox.process(event_id)
    except (UnusableEvent, inbox.UnknownEvent) as error:
        raise PermanentJobError(f"{type(error).__name__}: {error}") from error


@job(settlement.NOTIFY_CREDITED)
async def purchase_credited(purchase_id: str) -> None:
    """Credit notices are now stored with the credit; this runs jobs queued before that."""
    await notices.purchase_credited_later(uuid.UUID(purchase_id))


@job(settlement.NOTIFY_TAKEN_BACK)
async def tokens_taken_back(movement_id: int) -> None:
    await notices.tokens_taken_back(movement_id)


@job(NOTIFY_TIP_RECEIVED)
async def tip_received(tip_id: str) -> None:
    await wallet_notices.tip_received(uuid.UUID(tip_id))


@celery_app.task(name="webhooks.redrive_stripe_events", ignore_result=True)
def redrive_stripe_events() -> int:
    give_up_after = timedelta(hours=get_settings().stripe_event_give_up_hours)
    return runtime.run(inbox.redrive_stalled(give_up_after)).requeued


@celery_app.task(name="payments.prune_stripe_events", ignore_result=True)
def prune_stripe_events() -> int:
    retention = timedelta(days=get_settings().stripe_event_retention_days)
    deleted = runtime.run(inbox.prune_handled(retention))
    if deleted:
        logger.info("pruned {} handled stripe event(s)", deleted)
    return deleted


@celery_app.task(name="payments.prune_idempotency_keys", ignore_result=True)
def prune_idempotency_keys() -> int:
    return runtime.run(idempotency.prune_expired())
