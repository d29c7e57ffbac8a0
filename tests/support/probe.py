"""Where the test jobs (tests/support/tasks.py) record their runs and effects in Redis.

Kept apart from the jobs so the test process can read them without importing the worker.
"""

from __future__ import annotations

from redis.asyncio import Redis

from backend.settings import get_settings


def key(token: str, name: str) -> str:
    return get_settings().redis_key("probe", token, name)


class Probe:
    """Reads what the test jobs recorded for one token."""

    def __init__(self, redis: Redis, token: str) -> None:
        self.redis, self.token = redis, token

    async def count(self, name: str) -> int:
        return int(await self.redis.get(key(self.token, name)) or 0)

    async def items(self, name: str) -> list[str]:
        return [v.decode() for v in await self.redis.lrange(key(self.token, name), 0, -1)]

    async def members(self, name: str) -> set[str]:
        return {v.decode() for v in await self.redis.smembers(key(self.token, name))}
