"""Paid purchases are credited exactly once whatever happens to the workers or to Redis.

Each scenario is a real fault: a SIGKILL of a worker's whole process group, a Redis killed
and started again empty, a Redis gone while Stripe's deliveries keep arriving. Recovery
comes from the outbox's leases: a job nobody finished is published again by the sweeper.
"""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

import asyncpg
import httpx
import pytest

from backend.payments.models import StripeEvent
from backend.settings import Settings
from tests.faults.conftest import Faults, assert_reconciled
from tests.payments.stack import Stack, deliver
from tests.payments.support import SMALL_TOKENS, credits, event, pay, start_checkout
from tests.support.accounts import Account, create_account
from tests.support.locks import sessions_waiting_on
from tests.support.waiting import eventually
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]

# Leases are 3 s: "a few lease periods" for everything to be credited after a fault.
RECOVERY_SECONDS = 90


async def paid_checkouts(recorder: Stack, fans: list[Account]) -> list[dict[str, Any]]:
    """One paid checkout per fan; their `checkout.session.completed` events, undelivered."""
    completed = []
    for fan in fans:
        checkout = await start_checkout(recorder, fan)
        await pay(recorder, checkout)
        completed.append(await event(recorder, checkout.session_id, "checkout.session.completed"))
    return completed


async def handled_count(events: list[dict[str, Any]]) -> int:
    ids = [e["id"] for e in events]
    return await StripeEvent.filter(id__in=ids, handled_at__isnull=False).count()


async def all_credited_once(
    faults: Faults, fans: list[Account], events: list[dict[str, Any]]
) -> None:
    try:
        await eventually(
            lambda: handled_count(events), lambda n: n == len(events), within=RECOVERY_SECONDS
        )
    except AssertionError as stalled:
        raise AssertionError(f"{stalled}\n{await faults.report()}") from None
    for fan, completed in zip(fans, events, strict=True):
        assert await balance(fan) == SMALL_TOKENS
        assert await credits(completed["data"]["object"]["metadata"]["purchase_id"]) == 1
    await assert_reconciled()


async def test_a_worker_killed_mid_stream_loses_no_purchase(
    faults: Faults, recorder: Stack, settings: Settings
) -> None:
    fans = [await create_account("fan") for _ in range(30)]
    events = await paid_checkouts(recorder, fans)
    # The 13th purchase's row is held, so a job is surely mid-run when the worker dies.
    held = events[12]["data"]["object"]["metadata"]["purchase_id"]
    blocker = await asyncpg.connect(str(settings.database_url))
    await blocker.execute("BEGIN")
    await blocker.execute("SELECT 1 FROM purchases WHERE id = $1 FOR UPDATE", held)
    try:
        with faults.beat(), faults.worker("first") as first:
            async with faults.api() as api:
                stream = asyncio.create_task(deliver_all(api, events, recorder.secret))
                await eventually(lambda: handled_count(events), lambda n: n >= 12, within=60)
                await eventually(lambda: sessions_waiting_on(blocker), lambda n: n >= 1, within=30)
                os.killpg(first.popen.pid, signal.SIGKILL)  # parent and children at once
                await blocker.execute("ROLLBACK")
                statuses = await stream
                assert set(statuses) == {200}  # Stripe saw every delivery accepted
                with faults.worker("fresh"):
                    await all_credited_once(faults, fans, events)
    finally:
        await blocker.close()


async def test_a_redis_restarted_empty_loses_no_purchase(faults: Faults, recorder: Stack) -> None:
    fans = [await create_account("fan") for _ in range(5)]
    events = await paid_checkouts(recorder, fans)
    async with faults.api() as api:
        # No worker yet: the jobs are published and wait in Redis...
        assert set(await deliver_all(api, events, recorder.secret)) == {200}
        # (published just after each commit, off the request)
        await eventually(lambda: faults_queue_length(faults), lambda n: n >= len(events))
        # ...which then loses everything it held.
        faults.redis.restart_empty()
        assert await faults_queue_length(faults) == 0

        with faults.beat(), faults.worker("after-restart"):
            await all_credited_once(faults, fans, events)


async def test_redis_down_while_events_arrive_then_every_one_is_credited_once(
    faults: Faults, recorder: Stack
) -> None:
    fans = [await create_account("fan") for _ in range(10)]
    events = await paid_checkouts(recorder, fans)
    with faults.beat(), faults.worker("steady"):
        async with faults.api() as api:
            faults.redis.kill()
            statuses = await deliver_all(api, events, recorder.secret)
            assert set(statuses) == {200}  # no 5xx: the inbox is PostgreSQL
            assert await handled_count(events) == 0
            faults.redis.start()  # back, empty: the unsent jobs are due for the sweeper
            await all_credited_once(faults, fans, events)


async def deliver_all(
    api: httpx.AsyncClient, events: list[dict[str, Any]], secret: str
) -> list[int]:
    """Deliver the events one after the other, as Stripe's stream does; their statuses."""
    return [(await deliver(api, completed, secret)).status_code for completed in events]


async def faults_queue_length(faults: Faults) -> int:
    from redis.asyncio import Redis

    client = Redis.from_url(faults.redis.url)
    try:
        prefix = f"{faults.env['REDIS_NAMESPACE']}:celery:"
        return int(await client.llen(prefix + "webhooks"))  # type: ignore[misc]
    finally:
        await client.aclose()
