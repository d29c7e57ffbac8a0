"""PostgreSQL out of reach, a worker killed in the middle of a thumbnail: nothing half done.

A webhook that cannot be stored is a 5xx, so Stripe delivers it again; a thumbnail job
whose worker died runs again and leaves exactly its own files.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import asyncpg
import pytest

from backend.media.models import Media, MediaStatus
from backend.outbox.models import JobStatus, OutboxJob
from backend.payments.models import StripeEvent
from backend.settings import Settings
from tests.faults.conftest import Faults, assert_reconciled
from tests.media import images
from tests.payments.stack import Stack, deliver
from tests.payments.support import SMALL_TOKENS, credits, event, handled, pay, start_checkout
from tests.support.accounts import create_account
from tests.support.locks import sessions_waiting_on
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_postgres_unreachable_at_delivery_is_a_5xx_and_stores_nothing(
    faults: Faults, recorder: Stack, settings: Settings
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    database = settings.database_url.hosts()[0]
    proxy = TcpProxy(database["host"] or "127.0.0.1", database["port"] or 5432)
    await proxy.start()
    through_proxy = str(settings.database_url).replace(
        f":{database['port']}/", f":{proxy.port}/", 1
    )
    try:
        with faults.beat(), faults.worker("webhooks"):
            async with faults.api(DATABASE_URL=through_proxy) as api:
                assert (await api.get("/health")).status_code == 200
                await proxy.stop()  # PostgreSQL is gone for this API

                refused = await deliver(api, completed, recorder.secret)

                assert refused.status_code >= 500  # Stripe will deliver it again
                assert refused.json()["error"]["code"] in {"internal_error", "service_unavailable"}
                assert not await StripeEvent.filter(id=completed["id"]).exists()
                assert not await OutboxJob.filter(task__startswith="webhooks.").exists()

                await proxy.start()  # back, on the same port
                retried = await eventually(
                    lambda: deliver(api, completed, recorder.secret),
                    lambda response: response.status_code == 200,
                    within=60,
                )
                assert retried.status_code == 200
                await handled(completed["id"], within=60)
                assert await credits(checkout.purchase_id) == 1
                assert await balance(fan) == SMALL_TOKENS
                assert (await StripeEvent.get(id=completed["id"])).deliveries == 1
    finally:
        await proxy.stop()
    await assert_reconciled()


async def test_a_worker_killed_mid_thumbnail_ends_ready_with_its_files_once(
    faults: Faults, settings: Settings
) -> None:
    creator = await create_account("creator")
    with faults.beat():
        async with faults.api() as api:
            uploaded = await api.post(
                "/api/media",
                files={"file": ("photo.jpg", images.jpeg(2400, 1800), "image/jpeg")},
                headers=creator.auth,
            )
            assert uploaded.status_code == 202, uploaded.text
            media_id = uploaded.json()["id"]
            # Hold the media row: the job renders, then waits here to store its files.
            blocker = await asyncpg.connect(str(settings.database_url))
            try:
                await blocker.execute("BEGIN")
                await blocker.execute("SELECT 1 FROM media WHERE id = $1 FOR UPDATE", media_id)
                with faults.worker("killed", queues="media") as killed:
                    await eventually(
                        lambda: sessions_waiting_on(blocker), lambda n: n >= 1, within=60
                    )
                    os.killpg(killed.popen.pid, signal.SIGKILL)
                await blocker.execute("ROLLBACK")
            finally:
                await blocker.close()

            with faults.worker("fresh"):  # every queue: the sweeper runs on `default`
                media = await eventually(
                    lambda: Media.get(id=media_id),
                    lambda m: m.status == MediaStatus.READY,
                    within=90,
                )
                job = await eventually(  # finished just after the media turned ready
                    lambda: OutboxJob.get(args__contains=[media_id]),
                    lambda j: j.status == JobStatus.SUCCEEDED,
                )
    assert job.run_attempts == 2  # the killed run, then one more: never two at once
    expected = {str(item["key"]) for item in media.derivatives.values()}
    assert expected
    root = Path(os.environ["MEDIA_ROOT"])
    written = {str(path.relative_to(root)) for path in (root / "derivatives").iterdir()}
    assert expected <= written
    assert not [path for path in (root / "derivatives").iterdir() if ".partial" in path.name]
    await assert_reconciled()
