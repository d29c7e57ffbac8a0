"""Jobs that exist only for the tests: their effects are counted in Redis.

The worker under test loads this module through WORKER_EXTRA_TASK_MODULES.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time

from loguru import logger
from redis.asyncio import Redis
from tortoise import connections

from backend.settings import get_settings
from tests.support.probe import key
from worker.jobs import PermanentJobError, job

_redis: Redis | None = None


def redis() -> Redis:
    global _redis
    if _redis is None:
        _redis = Redis.from_url(str(get_settings().redis_url))
    return _redis


async def _effect_once(token: str) -> None:
    if await redis().set(key(token, "effect"), "1", nx=True):
        await redis().incr(key(token, "effects"))


@job("tests.record")
async def record(token: str) -> None:
    await redis().incr(key(token, "runs"))
    await _effect_once(token)


@job("tests.slow_record")
async def slow_record(token: str, seconds: float) -> None:
    await redis().rpush(key(token, "pids"), os.getpid())
    await redis().incr(key(token, "runs"))
    await asyncio.sleep(seconds)
    await _effect_once(token)


@job("tests.always_fails", max_retries=3)
async def always_fails(token: str) -> None:
    await redis().rpush(key(token, "attempts"), repr(time.monotonic()))
    raise RuntimeError(f"boom {token}")


@job("tests.permanent_failure")
async def permanent_failure(token: str) -> None:
    await redis().incr(key(token, "runs"))
    raise PermanentJobError(f"cannot ever work {token}")


@job("tests.db_probe")
async def db_probe(token: str) -> None:
    connection = connections.get("default")
    await connection.execute_query("SELECT pg_sleep(0.001)")
    pool = getattr(connection, "fair_pool", None)  # the pool this process made
    await redis().sadd(key(token, "pids"), os.getpid())
    await redis().sadd(key(token, "pools"), id(pool) if pool is not None else "no pool")
    await redis().incr(key(token, "runs"))


@job("tests.always_fails_slowly", max_retries=1)
async def always_fails_slowly(token: str) -> None:
    """Runs long enough for a test to kill the worker under it."""
    await redis().incr(key(token, "runs"))
    await asyncio.sleep(30)


@job("tests.gc_probe")
async def gc_probe(token: str) -> None:
    """Records how many objects this worker process keeps out of full collections."""
    await redis().rpush(key(token, "frozen"), gc.get_freeze_count())


@job("tests.last_words", max_retries=0)
async def last_words(token: str) -> None:
    """Logs one INFO line, says so, then runs until the test kills its process."""
    logger.info("last words {} from {}", token, os.getpid())
    await redis().rpush(key(token, "pids"), os.getpid())
    await asyncio.sleep(30)
