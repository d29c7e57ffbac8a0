"""Nothing is lost or doubled when Redis or a worker dies on the way."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import asyncpg
import pytest

from backend.outbox.models import JobStatus, OutboxJob
from backend.payments.models import Purchase, StripeEvent
from backend.settings import Settings
from tests.payments.conftest import StartApi
from tests.payments.stack import Stack, deliver
from tests.payments.support import (
    SMALL_TOKENS,
    credits,
    event,
    handled,
    pay,
    settled,
    start_checkout,
)
from tests.support.accounts import create_account
from tests.support.brokers import BrokerTarget, broker_url_at
from tests.support.locks import sessions_waiting_on
from tests.support.server import serve, with_overrides
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually
from tests.support.worker import Process, celery_worker, worker_env
from tests.wallet.support import balance, jobs_finished

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_redis_down_at_delivery_the_event_is_processed_later_once(
    recorder: Stack,
    worker: Process,
    beat: Process,
    start_api: StartApi,
    broker_proxy: TcpProxy,
    settings: Settings,
) -> None:
    api = await start_api(celery_broker_url=broker_url_at(settings, "127.0.0.1", broker_proxy.port))
    await broker_proxy.stop()  # this API cannot reach the broker any more
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")

    first = await deliver(api, completed, recorder.secret)
    again = await deliver(api, completed, recorder.secret)  # Stripe's retry, still no Redis

    assert (first.status_code, again.status_code) == (200, 200)  # Stripe will not retry
    stored = await StripeEvent.get(id=completed["id"])
    assert (await OutboxJob.get(id=stored.job_id)).status == JobStatus.PENDING
    # The beat sweeper, which reaches Redis, publishes the job: processed once.
    await handled(completed["id"])
    await settled(checkout.purchase_id, "paid")
    assert await credits(checkout.purchase_id) == 1
    assert await balance(fan) == SMALL_TOKENS
    assert (await StripeEvent.get(id=completed["id"])).deliveries == 2


async def test_a_redelivery_of_an_unhandled_event_publishes_its_job_again(
    recorder: Stack, worker: Process, settings: Settings, broker_proxy: TcpProxy
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    # Received by an API whose broker is gone, which then stops (its publisher with it).
    broker = broker_url_at(settings, "127.0.0.1", broker_proxy.port)
    offline_settings = with_overrides(settings, rate_limit_enabled=False, celery_broker_url=broker)
    async with serve(offline_settings) as offline:
        await broker_proxy.stop()
        assert (await deliver(offline, completed, recorder.secret)).status_code == 200
    stored = await StripeEvent.get(id=completed["id"])
    # As if its job had run out of retries: nothing will run it any more.
    await OutboxJob.filter(id=stored.job_id).update(status=JobStatus.FAILED, last_error="gave up")

    redelivered = await deliver(recorder.api, completed, recorder.secret)  # Stripe tries again

    assert redelivered.status_code == 200
    await handled(completed["id"])
    assert await credits(checkout.purchase_id) == 1
    assert await balance(fan) == SMALL_TOKENS
    job = await eventually(
        lambda: OutboxJob.get(id=stored.job_id), lambda j: j.status == "succeeded"
    )
    # The same job, published again: no second job for this event.
    assert await OutboxJob.filter(task=job.task, args__contains=[completed["id"]]).count() == 1


async def test_a_worker_killed_mid_event_processes_it_once(
    recorder: Stack,
    settings: Settings,
    start_api: StartApi,
    private_broker: BrokerTarget,
    tmp_path: Path,
) -> None:
    env = worker_env(dict(os.environ), **private_broker.env)
    with celery_worker(env, tmp_path / "killed.log", concurrency=1) as killed:
        api = await start_api(**private_broker.overrides)
        fan = await create_account("fan")
        checkout = await start_checkout(recorder, fan)
        await pay(recorder, checkout)
        completed = await event(recorder, checkout.session_id, "checkout.session.completed")
        blocker = await asyncpg.connect(str(settings.database_url))
        try:
            # Hold the purchase row: the job claims the event, then waits here, mid-event.
            await blocker.execute("BEGIN")
            await blocker.execute(
                "SELECT 1 FROM purchases WHERE id = $1 FOR UPDATE", checkout.purchase_id
            )
            assert (await deliver(api, completed, recorder.secret)).status_code == 200
            await eventually(lambda: sessions_waiting_on(blocker), lambda n: n >= 1)
            [child] = killed.children()
            os.kill(child, signal.SIGKILL)
            await blocker.execute("ROLLBACK")
        finally:
            await blocker.close()

        await handled(completed["id"], within=60)
        stored = await StripeEvent.get(id=completed["id"])
        job = await eventually(
            lambda: OutboxJob.get(id=stored.job_id), lambda j: j.status == "succeeded"
        )
        assert job.run_attempts >= 2  # the killed run, then the redelivered one
        assert await credits(checkout.purchase_id) == 1
        assert await balance(fan) == SMALL_TOKENS
        assert (await Purchase.get(id=checkout.purchase_id)).status == "paid"
        await jobs_finished()  # its notice goes through the private broker too
