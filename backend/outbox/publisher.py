"""Hands committed outbox jobs to the broker, in batches, off the event loop.

Requests only queue their jobs here (`publish_soon`); one background task takes whatever
has queued up and sends it through Celery's `send_task` inside one kombu producer batch
(one pipelined round trip to Redis) on a dedicated thread, since Celery's client is
synchronous. Sending writes nothing to the database: a job's row already says when it is
presumed lost (`available_at`), so the sweeper republishes it if its message never arrives.
Only a send that fails is recorded, so that the sweeper publishes those jobs at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from celery import Celery
from loguru import logger

from backend.outbox import service
from backend.outbox.broker import celery_config
from backend.settings import Settings

MAX_BATCH = 500


@dataclass(frozen=True)
class JobMessage:
    id: int
    task: str
    args: list[object]
    request_id: str | None


def send_batch(client: Celery, jobs: Sequence[JobMessage]) -> list[int]:
    """Send `jobs` in one round trip; the ids sent, or none when the broker failed."""
    try:
        with client.producer_or_acquire() as producer, producer.batch(max_size=MAX_BATCH * 2):
            for job in jobs:
                client.send_task(
                    job.task,
                    args=tuple(job.args),
                    task_id=f"job-{job.id}",
                    producer=producer,
                    headers={"outbox_job_id": job.id, "request_id": job.request_id},
                    retry=False,
                )
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

    async def send(self, jobs: Sequence[JobMessage]) -> list[int]:
        """Send `jobs` now, off the event loop; returns the ids that went out."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, send_batch, self.client, list(jobs))

    async def publish(self, jobs: Sequence[JobMessage]) -> list[int]:
        """Send `jobs`; those the broker did not take become due for the sweeper at once."""
        sent = await self.send(jobs)
        if len(sent) < len(jobs):
            went = set(sent)
            await service.mark_unsent([job.id for job in jobs if job.id not in went])
        return sent

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    await self.publish(batch)
                except Exception as error:  # noqa: BLE001 - e.g. the database is down
                    logger.warning("unsent outbox jobs not recorded: {}", error)
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
