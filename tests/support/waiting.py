"""Polling helpers: wait for an effect to appear, never sleep a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    predicate: Callable[[T], bool] = bool,
    *,
    within: float = 20,
    interval: float = 0.05,
) -> T:
    """Return `probe()`'s value once `predicate` holds; fail with the last value seen."""
    deadline = time.monotonic() + within
    value = await probe()
    while not predicate(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s; last value: {value!r}")
        await asyncio.sleep(interval)
        value = await probe()
    return value
