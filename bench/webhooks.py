"""The webhook rows: signed ingest under wrk, and events fully processed by two workers.

End to end, the events are posted first, then two worker processes start on a queue
holding their jobs; the rate is events handled per second from the moment the workers are
ready. The comparison is the same two processes draining the same number of no-op Celery
tasks from the same broker.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
from redis.asyncio import Redis

from bench.events import checkout_completed, signature, write_signed
from bench.stack import RESULTS, ROOT

END_TO_END_EVENTS = 3000
WORKERS_TIMEOUT_SECONDS = 600
HANDLED_COUNT = """
    SELECT count(*) FROM "stripe_events"
    WHERE "handled_at" IS NOT NULL AND "type" = 'checkout.session.completed'
"""


def ingest_events(path: Path, secret: str, count: int) -> None:
    """`count` distinct, freshly signed events about purchases Digis never started: the API
    verifies, stores and queues each one; nothing processes them during this row."""
    bodies = [checkout_completed(f"00000000-0000-4000-8000-{i:012d}", 999) for i in range(count)]
    write_signed(path, secret, bodies)


@contextmanager
def workers(env: dict[str, str], log: str) -> Iterator[float]:
    """Two worker processes on every queue; yields the moment they are ready."""
    command = [sys.executable, "-m", "celery", "-A", "worker.app", "worker", "--queues",
               "webhooks,media,notifications,default", "--concurrency", "2", "--loglevel",
               "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    log_path = RESULTS / log
    with log_path.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log_path.read_bytes():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"worker did not start; see {log_path}")
            time.sleep(0.02)
        yield time.monotonic()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


async def _seconds_until(done: Callable[[], Awaitable[int]], started: float) -> float:
    """Seconds from `started` until `done()` reaches END_TO_END_EVENTS."""
    while await done() < END_TO_END_EVENTS:
        if time.monotonic() - started > WORKERS_TIMEOUT_SECONDS:
            raise RuntimeError("the workers did not finish in time")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def events_per_second(env: dict[str, str], api_url: str, secret: str) -> float:
    seeded = json.loads(subprocess.run(
        [sys.executable, "-m", "bench.seed", "purchases", str(END_TO_END_EVENTS)],
        env=env, check=True, capture_output=True, text=True).stdout)  # fmt: skip
    bodies = [checkout_completed(p, seeded["amount_cents"]) for p in seeded["purchases"]]
    asyncio.run(_post_all(api_url, secret, bodies))
    return asyncio.run(_time_processing(env))


async def _time_processing(env: dict[str, str]) -> float:
    """Events handled per second, counted on one connection (a new connection per look
    would cost PostgreSQL a process start, taken from the workers being measured)."""
    connection = await asyncpg.connect(env["DATABASE_URL"])

    async def handled() -> int:
        count: int = await connection.fetchval(HANDLED_COUNT)
        return count

    try:
        with workers(env, "webhook-workers.log") as ready:
            elapsed = await _seconds_until(handled, ready)
    finally:
        await connection.close()
    return END_TO_END_EVENTS / elapsed


def noop_tasks_per_second(env: dict[str, str]) -> float:
    from celery import Celery

    from backend.outbox.broker import celery_config
    from backend.settings import load_settings

    settings = load_settings(_env_file=None, **{k.lower(): v for k, v in env.items()
                                                 if k in ("DATABASE_URL", "REDIS_URL",
                                                          "REDIS_NAMESPACE")})  # fmt: skip
    client = Celery("bench", set_as_current=False)
    client.conf.update(celery_config(settings))
    for _ in range(END_TO_END_EVENTS):
        client.send_task("bench.noop")
    client.close()
    return END_TO_END_EVENTS / asyncio.run(
        _time_noop(env, str(settings.redis_url), settings.redis_key("bench", "noop"))
    )


async def _time_noop(env: dict[str, str], redis_url: str, counter: str) -> float:
    redis = Redis.from_url(redis_url)

    async def ran() -> int:
        return int(await redis.get(counter) or 0)

    await redis.delete(counter)
    try:
        with workers(
            {**env, "WORKER_EXTRA_TASK_MODULES": "bench.tasks"}, "noop-workers.log"
        ) as ready:
            return await _seconds_until(ran, ready)
    finally:
        await redis.aclose()


async def _post_all(api_url: str, secret: str, bodies: list[bytes]) -> None:
    limit = asyncio.Semaphore(32)
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as client:

        async def post(body: bytes) -> None:
            async with limit:
                headers = {"Stripe-Signature": signature(secret, body),
                           "Content-Type": "application/json"}  # fmt: skip
                response = await client.post("/api/webhooks/stripe", content=body,
                                             headers=headers)  # fmt: skip
                response.raise_for_status()

        await asyncio.gather(*(post(body) for body in bodies))
