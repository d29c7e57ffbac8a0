from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.foundation.conftest import StartApi


async def test_liveness_needs_no_dependency(start_api: StartApi) -> None:
    client = await start_api(redis_url="redis://127.0.0.1:1/0")
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_reports_each_dependency(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["uptime_seconds"] >= 0
    for name in ("database", "redis"):
        assert body["checks"][name]["ok"] is True
        assert body["checks"][name]["latency_ms"] >= 0


async def test_readiness_is_503_when_redis_is_unreachable(start_api: StartApi) -> None:
    client = await start_api(redis_url="redis://127.0.0.1:1/0")
    response = await client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A TCP port that accepts connections and never answers: a hung dependency."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()


async def test_a_hung_dependency_is_503_not_a_hung_request(
    start_api: StartApi, silent_port: int
) -> None:
    client = await start_api(redis_url=f"redis://127.0.0.1:{silent_port}/0")
    response = await client.get("/health", timeout=5)
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
