"""Beat tasks that keep the outbox moving: publish what the fast path missed, prune."""

from __future__ import annotations

from datetime import timedelta

from loguru import logger
from tortoise.transactions import in_transaction

from backend.outbox import publisher, service
from backend.outbox.publisher import JobMessage, send_batch
from backend.settings import get_settings
from worker import runtime
from worker.app import celery_app


async def sweep_unpublished() -> int:
    """Publish pending jobs older than the sweep delay; returns how many went out."""
    settings = get_settings()
    active = publisher.current()
    assert active is not None, "the worker runtime installs a publisher"
    async with in_transaction():
        jobs = await service.unpublished(timedelta(seconds=settings.outbox_sweep_after_seconds))
        messages = [JobMessage(j.id, j.task, list(j.args), j.request_id) for j in jobs]
        sent = send_batch(active.client, messages) if messages else []
        if sent:
            await service.mark_published(sent)
    if sent:
        logger.info("outbox sweeper published {} job(s)", len(sent))
    return len(sent)


@celery_app.task(name="outbox.sweep", ignore_result=True)
def sweep() -> int:
    return runtime.run(sweep_unpublished())


@celery_app.task(name="outbox.prune", ignore_result=True)
def prune() -> int:
    retention = timedelta(days=get_settings().outbox_retention_days)
    deleted = runtime.run(service.prune(retention))
    if deleted:
        logger.info("outbox pruned {} finished job(s)", deleted)
    return deleted
