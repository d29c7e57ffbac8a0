"""Hands committed outbox jobs to the broker, in batches, off the event loop.

Requests only queue their jobs here (`publish_soon`); one background task takes whatever
has queued up, publishes it as one kombu batch (a single pipelined round trip to Redis) on
a dedicated thread, since Celery's client is synchronous, and marks the batch published
with one UPDATE. A failed publish never fails a request: the jobs stay `pending` and the
beat sweeper publishes them later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from celery import Celery
from loguru import logger

from backend.outbox import service
from backend.outbox.broker import celery_config, route_for
from backend.settings import Settings

MAX_BATCH = 500


@dataclass(frozen=True)
class JobMessage:
    id: int
    task: str
    args: list[object]
    request_id: str | None


def send_batch(client: Celery, jobs: Sequence[JobMessage]) -> list[int]:
    """Publish `jobs` in one round trip; the ids sent, or none when the broker failed.

    Celery builds each message (task protocol 2, as `send_task` would) and the producer
    sends it to the task's queue. `send_task` itself costs three times as much per message
    (213 µs against 64 on the benchmark machine): its option merging and routing, and a
    fresh binding of the queue to the channel for every message, which the worker's own
    declaration of its queues makes unnecessary."""
    try:
        with client.producer_or_acquire() as producer, producer.batch(max_size=MAX_BATCH * 2):
            for job in jobs:
                headers, properties, body, _ = client.amqp.as_task_v2(
                    f"job-{job.id}", job.task, args=tuple(job.args), kwargs={},
                    argsrepr=repr(job.args), kwargsrepr="{}",
                )  # fmt: skip
                headers.update(outbox_job_id=job.id, request_id=job.request_id)
                producer.publish(
                    body, exchange="", routing_key=route_for(job.task), serializer="json",
                    headers=headers, delivery_mode="persistent", declare=[],
                    retry=False, **properties,
                )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - the sweeper publishes them later
        logger.warning("{} outbox job(s) not published yet: {}", len(jobs), error)
        return []
    return [job.id for job in jobs]


class Publisher:
    def __init__(self, settings: Settings) -> None:
        self.client = Celery("digis-publisher", set_as_current=False)
        self.client.conf.update(celery_config(settings))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")
        self._queue: list[JobMessage] = []
        self._flusher: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    def publish_soon(self, jobs: Sequence[JobMessage]) -> None:
        """Queue committed jobs for the next batch; the caller never waits for it."""
        self._queue.extend(jobs)
        self._idle.clear()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def publish(self, jobs: Sequence[JobMessage]) -> list[int]:
        """Publish `jobs` now and mark the ones that went out; returns their ids."""
        loop = asyncio.get_running_loop()
        sent = await loop.run_in_executor(self._executor, send_batch, self.client, list(jobs))
        if sent:
            await service.mark_published(sent)
        return sent

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    await self.publish(batch)
                except Exception as error:  # noqa: BLE001 - e.g. the database is down
                    logger.warning("outbox batch not recorded as published: {}", error)
        finally:
            if not self._queue:
                self._idle.set()

    async def drain(self) -> None:
        """Wait until every queued job has been through a publish attempt."""
        while not self._idle.is_set():
            await self._idle.wait()
            if self._queue and (self._flusher is None or self._flusher.done()):
                self._flusher = asyncio.get_running_loop().create_task(self._flush())

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.client.close()


_current: Publisher | None = None


def install(publisher: Publisher | None) -> None:
    """Make `publisher` the one this process uses after commits (None: leave to sweeper)."""
    global _current  # one publisher per process, set at start-up
    _current = publisher


def current() -> Publisher | None:
    return _current
