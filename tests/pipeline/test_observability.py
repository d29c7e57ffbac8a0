"""Metrics for the API and the worker, Sentry envelopes, and the health of the pipeline."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sanic import HTTPResponse, Request

from backend.http.sanic_types import App
from backend.outbox import service as outbox
from backend.outbox.models import JobStatus
from backend.outbox.transaction import transaction
from backend.settings import Settings
from tests.pipeline.conftest import PrivateBroker, StartApi, wait_for_status
from tests.support.brokers import unreachable_broker_url
from tests.support.server import free_port, serve, with_overrides
from tests.support.waiting import eventually
from tests.support.worker import celery_worker, worker_env


async def test_api_metrics_count_requests_and_report_the_backlog(start_api: StartApi) -> None:
    client = await start_api()
    await client.get("/health/live")
    await client.get("/api/nope")
    body = (await client.get("/metrics")).text
    assert 'digis_http_requests_total{method="GET",route="/health/live",status="200"}' in body
    # Unknown paths are counted under the catch-all route's pattern, never the raw path.
    assert 'route="/<page:path>",status="404"' in body
    assert "/api/nope" not in body
    assert "digis_outbox_pending_jobs" in body
    assert "digis_outbox_oldest_pending_seconds" in body


async def test_metrics_can_require_a_token(start_api: StartApi) -> None:
    client = await start_api(metrics_token="scrape-secret-value")
    assert (await client.get("/metrics")).status_code == 401
    ok = await client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-value"})
    assert ok.status_code == 200


async def test_health_reports_broker_and_outbox_backlog(start_api: StartApi) -> None:
    client = await start_api()
    await outbox.write_job("tests.record", ["not-yet-published"], published=False)  # pending
    body = (await client.get("/health")).json()
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["outbox"]["pending"] >= 1
    assert body["checks"]["outbox"]["oldest_pending_age_seconds"] >= 0


async def test_health_is_503_when_the_broker_is_unreachable(
    start_api: StartApi, settings: Settings
) -> None:
    client = await start_api(celery_broker_url=unreachable_broker_url(settings))
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.worker
async def test_the_worker_serves_task_counters(
    database: str, private_broker: PrivateBroker, redis: Redis, tmp_path: Path
) -> None:
    port = free_port()
    env = worker_env(dict(os.environ), WORKER_METRICS_PORT=str(port), **private_broker.env)
    with celery_worker(env, tmp_path / "metrics.log", concurrency=1):
        async with transaction() as tx:
            ok = await tx.enqueue("tests.record", uuid.uuid4().hex)
            bad = await tx.enqueue("tests.permanent_failure", uuid.uuid4().hex)
        await wait_for_status(ok, JobStatus.SUCCEEDED)
        await wait_for_status(bad, JobStatus.FAILED)

        async def scrape() -> str:
            async with httpx.AsyncClient() as http:
                return (await http.get(f"http://127.0.0.1:{port}/metrics")).text

        text = await eventually(scrape, lambda t: "tests.permanent_failure" in t)
        assert 'digis_tasks_succeeded_total{task="tests.record"} 1.0' in text
        assert 'digis_tasks_failed_total{task="tests.permanent_failure"} 1.0' in text


@pytest.fixture
async def sentry_sink() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A local HTTP endpoint standing in for Sentry's ingest host."""
    received: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        body = await reader.readexactly(length)
        if b"content-encoding: gzip" in head.lower():
            body = gzip.decompress(body)
        received.append(body)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1], received
    server.close()


async def test_sentry_receives_the_real_envelope_tagged_with_the_request_id(
    settings: Settings, redis: Redis, sentry_sink: tuple[int, list[bytes]]
) -> None:
    import sentry_sdk

    port, received = sentry_sink

    def routes(app: App) -> None:
        async def explode(request: Request) -> HTTPResponse:
            raise RuntimeError("sentry probe failure")

        app.add_route(explode, "/api/explode")

    custom = with_overrides(settings, sentry_dsn=f"http://publickey@127.0.0.1:{port}/42")
    try:
        async with serve(custom, routes) as client:
            response = await client.get("/api/explode", headers={"X-Request-ID": "sentry-rid-1"})
            assert response.status_code == 500
            await asyncio.get_running_loop().run_in_executor(None, sentry_sdk.flush, 5)
            await eventually(lambda: _async(received), lambda r: len(r) >= 1)
    finally:
        sentry_sdk.init()  # switch the SDK off again for the rest of the session

    envelope = b"\n".join(received).decode(errors="replace")
    items = [json.loads(line) for line in envelope.splitlines() if line.startswith("{")]
    events = [item for item in items if "exception" in item]
    assert events, envelope[:2000]
    event = events[0]
    assert event["tags"]["request_id"] == "sentry-rid-1"
    assert event["exception"]["values"][0]["value"] == "sentry probe failure"
    assert "authorization" not in json.dumps(event).lower() or "[scrubbed]" in json.dumps(event)


async def _async(value: list[bytes]) -> list[bytes]:
    return value
