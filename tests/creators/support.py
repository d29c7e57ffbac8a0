"""Following and reading creators as a client of the API would, and the worker that runs
the follow notices."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from backend.outbox.models import JobStatus, OutboxJob
from backend.settings import Settings
from tests.support.accounts import Account
from tests.support.waiting import eventually
from tests.support.worker import Process


async def follow(client: httpx.AsyncClient, fan: Account, handle: str) -> dict[str, Any]:
    response = await client.put(f"/api/creators/{handle}/follow", headers=fan.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def unfollow(client: httpx.AsyncClient, fan: Account, handle: str) -> dict[str, Any]:
    response = await client.delete(f"/api/creators/{handle}/follow", headers=fan.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def walk(
    client: httpx.AsyncClient,
    path: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> list[list[dict[str, Any]]]:
    """Every page of a cursor-paginated listing, in order."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        query = dict(params or {})
        if cursor is not None:
            query["cursor"] = cursor
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def handles(items: list[dict[str, Any]]) -> list[str]:
    return [item["handle"] for item in items]


async def broker_idle(redis: Redis, settings: Settings) -> bool:
    """No job waits in a queue or runs on a worker.

    Jobs other tests published before the session's worker started would otherwise run
    during this test, against its rows (outbox ids restart with every emptied table).
    """
    prefix = settings.redis_key("celery", "")
    async for name in redis.scan_iter(match=f"{prefix}*"):
        kind = await redis.type(name)
        if kind == b"list" and await _number(redis.llen(name)):
            return False
        if kind == b"hash" and name.endswith(b"unacked") and await _number(redis.hlen(name)):
            return False
    return True


async def _number(reply: Awaitable[int] | int) -> int:
    """redis-py types its asyncio replies as `Awaitable[int] | int`."""
    return reply if isinstance(reply, int) else await reply


async def _jobs_finished() -> bool:
    return not await OutboxJob.filter(status=JobStatus.PENDING).exists()


@pytest.fixture
async def settled_jobs(worker: Process, redis: Redis, settings: Settings) -> AsyncIterator[None]:
    """Run the test with the session's worker, alone: jobs published earlier have run
    before it starts, and its own jobs have run before its rows are emptied (a job
    running during the emptying could deadlock with it)."""
    await eventually(lambda: broker_idle(redis, settings), within=60)
    yield
    await eventually(_jobs_finished, within=60)
