"""Beat tasks that keep the outbox moving: publish what is presumed lost, prune."""

from __future__ import annotations

from datetime import timedelta

from loguru import logger

from backend.outbox import publisher, service, sweeper
from backend.settings import get_settings
from worker import runtime
from worker.app import celery_app


async def _sweep() -> int:
    active = publisher.current()
    assert active is not None, "the worker runtime installs a publisher"
    return await sweeper.sweep(active, get_settings())


@celery_app.task(name="outbox.sweep", ignore_result=True)
def sweep() -> int:
    return runtime.run(_sweep())


@celery_app.task(name="outbox.prune", ignore_result=True)
def prune() -> int:
    retention = timedelta(days=get_settings().outbox_retention_days)
    deleted = runtime.run(service.prune(retention))
    if deleted:
        logger.info("outbox pruned {} finished job(s)", deleted)
    return deleted
