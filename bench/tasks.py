"""The no-op Celery task the webhook row is compared with (loaded only by `make bench`)."""

from __future__ import annotations

from redis import Redis

from backend.settings import get_settings
from worker.app import celery_app

_redis: Redis | None = None


@celery_app.task(name="bench.noop", ignore_result=True)
def noop() -> None:
    """Does nothing but say it ran, so the benchmark knows when the queue has drained."""
    global _redis
    if _redis is None:
        _redis = Redis.from_url(str(get_settings().redis_url))
    _redis.incr(get_settings().redis_key("bench", "noop"))
