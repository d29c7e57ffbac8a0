"""Dependency checks for `/health`: each bounded in time, so a hung dependency is a 503."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

CHECK_TIMEOUT_SECONDS = 1.5

Check = Callable[[], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    latency_ms: float
    error: str | None = None
    info: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": self.ok, "latency_ms": self.latency_ms}
        if self.error:
            body["error"] = self.error
        if self.info:
            body.update(self.info)
        return body


async def run_check(name: str, check: Check) -> CheckResult:
    started = time.perf_counter()
    try:
        info = await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return CheckResult(name, False, _elapsed(started), "timed out")
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return CheckResult(name, False, _elapsed(started), f"{type(error).__name__}: {error}")
    return CheckResult(name, True, _elapsed(started), info=info)


async def run_checks(checks: dict[str, Check]) -> list[CheckResult]:
    return list(await asyncio.gather(*(run_check(n, c) for n, c in checks.items())))


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
