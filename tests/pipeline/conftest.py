from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from redis.asyncio import Redis
from sanic import HTTPResponse, Request, json

from backend.http.sanic_types import App
from backend.http.validation import json_body
from backend.outbox import publisher
from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import Publisher
from backend.outbox.transaction import transaction
from backend.settings import Settings
from tests.support.brokers import broker_address, private_target
from tests.support.server import serve, with_overrides
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually

StartApi = Callable[..., Awaitable[httpx.AsyncClient]]


class Enqueue(BaseModel):
    task: str
    args: list[str | int | float]


def enqueue_routes(app: App) -> None:
    @app.post("/api/test-jobs")
    @json_body(Enqueue)
    async def enqueue(request: Request, body: Enqueue) -> HTTPResponse:
        async with transaction() as tx:
            job_id = await tx.enqueue(body.task, *body.args)
        return json({"job_id": job_id}, status=201)


@pytest.fixture
async def start_api(settings: Settings, redis: Redis) -> AsyncIterator[StartApi]:
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> httpx.AsyncClient:
            custom = with_overrides(settings, **overrides)
            return await stack.enter_async_context(serve(custom, enqueue_routes))

        yield start


@pytest.fixture
def publishing(settings: Settings) -> Iterator[Publisher]:
    """This test process publishes after commit, as the API does."""
    previous = publisher.current()
    active = Publisher(settings)
    publisher.install(active)
    yield active
    publisher.install(previous)
    active.close()


async def job_status(job_id: int) -> JobStatus | None:
    job = await OutboxJob.get_or_none(id=job_id)
    return job.status if job else None


async def wait_for_status(job_id: int, status: JobStatus, within: float = 30) -> None:
    await eventually(lambda: job_status(job_id), lambda s: s == status, within=within)


@pytest.fixture
async def broker_proxy(settings: Settings) -> AsyncIterator[TcpProxy]:
    """A cuttable path from the API to the broker, standing in for a broker outage."""
    proxy = TcpProxy(*broker_address(settings))
    await proxy.start()
    yield proxy
    await proxy.stop()


@dataclass
class PrivateBroker:
    """A broker no other worker of the session consumes from: a test that kills or counts
    its own worker must not have its jobs taken by the shared one."""

    env: dict[str, str]
    publisher: Publisher


@pytest.fixture
def private_broker(settings: Settings) -> Iterator[PrivateBroker]:
    target = private_target(settings)
    previous = publisher.current()
    active = Publisher(with_overrides(settings, **target.overrides))
    publisher.install(active)
    yield PrivateBroker(target.env, active)
    publisher.install(previous)
    active.close()
