"""Counting requests in-process and adding them to Redis in one batch every 100 ms.

The default per-IP policy runs on every API call; a Redis round trip for each would cost
as much as the call's own database read. Counted here, a request costs a dict update, and
every API instance adds its counts to the shared Redis counters ten times a second, in one
command, so a client can exceed its limit by at most what it sends in one
interval. Policies that guard logins and money stay exact (counted in Redis on each
request).
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass, field

from loguru import logger
from redis.asyncio import Redis
from redis.commands.core import AsyncScript

FLUSH_INTERVAL_SECONDS = 0.1
# One command for the whole batch: each key is incremented and set to expire when its
# window ends. (Every key is in one Redis, not spread over a cluster's slots.)
ADD_COUNTS = """
local totals = {}
for i, key in ipairs(KEYS) do
    totals[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
    redis.call('EXPIREAT', key, ARGV[2 * i])
end
return totals
"""


@dataclass
class _Counter:
    pending: int = 0  # counted here, not yet added to Redis
    remote: int = 0  # the shared count Redis answered at the last flush (ours included)
    expiry: int = 0  # the window's length, for the Redis key's time to live
    window_end: float = 0.0


@dataclass
class BatchedCounts:
    redis: Redis
    key_prefix: str  # the `limits` storage's, so exact and batched keys look alike
    counters: dict[str, _Counter] = field(default_factory=dict)
    _flusher: asyncio.Task[None] | None = None
    _add_counts: AsyncScript = field(init=False)

    def __post_init__(self) -> None:
        self._add_counts = self.redis.register_script(ADD_COUNTS)

    def add(self, key: str, expiry: int, window_end: float) -> int:
        """Count one request under `key`; return the best-known total for its window."""
        counter = self.counters.get(key)
        if counter is None:
            counter = self.counters[key] = _Counter(expiry=expiry, window_end=window_end)
        counter.pending += 1
        self._ensure_flusher()
        return counter.remote + counter.pending

    def used(self, key: str) -> int:
        counter = self.counters.get(key)
        return counter.remote + counter.pending if counter else 0

    def forget(self, key: str) -> None:
        self.counters.pop(key, None)

    async def flush(self) -> None:
        """Add every pending count to Redis in one round trip and learn the shared totals."""
        batch = [(key, c, c.pending) for key, c in self.counters.items() if c.pending]
        for _, counter, count in batch:
            counter.pending -= count  # requests counted meanwhile wait for the next flush
            counter.remote += count
        if batch:
            try:
                totals = await self._add(batch)
            except Exception as error:  # noqa: BLE001 - counted here; Redis learns later
                logger.warning("rate-limit counts not flushed to Redis: {}", error)
            else:
                for (_, counter, _count), total in zip(batch, totals, strict=True):
                    counter.remote = total
        self._forget_ended_windows()

    async def _add(self, batch: list[tuple[str, _Counter, int]]) -> list[int]:
        keys = [f"{self.key_prefix}:{key}" for key, _, _ in batch]
        args = [value for _, c, count in batch for value in (count, int(c.window_end) + 1)]
        totals = await self._add_counts(keys=keys, args=args)
        return [int(total) for total in totals]

    def _forget_ended_windows(self) -> None:
        now = time.time()
        for key in [k for k, c in self.counters.items() if c.window_end < now]:
            del self.counters[key]

    def _ensure_flusher(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush_forever())

    async def _flush_forever(self) -> None:
        while self.counters:
            await asyncio.sleep(FLUSH_INTERVAL_SECONDS)
            await self.flush()
        await self.redis.aclose()

    async def close(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            with suppress(asyncio.CancelledError):
                await self._flusher
        await self.flush()
        await self.redis.aclose()
