"""A worker killed in the middle of sending a payout: the money is still sent exactly once."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from backend.payouts.models import PayoutStatus
from backend.settings import Settings
from tests.payouts.conftest import PayoutStack, payout_stack
from tests.payouts.support import (
    creator_with_earnings,
    emulator_list,
    onboard,
    payout_reaches,
    request_payout,
    stripe_account,
)
from tests.support.locks import sessions_waiting_on
from tests.support.waiting import eventually
from tests.support.worker import celery_worker
from tests.wallet.support import assert_ledger_consistent, balance, jobs_finished

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]
LEASES = {"webhooks": 3, "notifications": 3, "default": 3, "media": 10}


@pytest.fixture
async def stack(settings: Settings, tmp_path: Path) -> AsyncIterator[PayoutStack]:
    """This test's own stack, with beat (the sweeper) and leases of a few seconds; its
    first worker applies Stripe's events but leaves payouts (the default queue) alone."""
    async with payout_stack(
        settings, tmp_path, with_beat=True, queues="webhooks,notifications",
        OUTBOX_LEASE_SECONDS=json.dumps(LEASES), OUTBOX_SWEEP_INTERVAL_SECONDS="0.5",
    ) as running:  # fmt: skip
        yield running


@pytest.fixture(autouse=True)
async def _money_stays_consistent() -> AsyncIterator[None]:
    yield
    await jobs_finished()
    await assert_ledger_consistent()


async def test_a_worker_killed_between_the_transfer_and_its_record_transfers_once(
    stack: PayoutStack, settings: Settings, tmp_path: Path
) -> None:
    creator = await creator_with_earnings(stack, 500)
    await onboard(stack, creator)
    requested = await request_payout(stack, creator, 500)  # its job waits: no one serves it
    assert requested.status_code == 201, requested.text
    payout_id = requested.json()["id"]
    blocker = await asyncpg.connect(str(settings.database_url))
    try:
        # Hold the payout row: the job makes the transfer, then waits to record it.
        await blocker.execute("BEGIN")
        await blocker.execute("SELECT 1 FROM payouts WHERE id = $1 FOR UPDATE", payout_id)
        with celery_worker(stack.env, tmp_path / "killed.log", queues="default") as killed:
            await eventually(lambda: sessions_waiting_on(blocker), lambda n: n >= 1, within=30)
            os.killpg(killed.popen.pid, signal.SIGKILL)
        await blocker.execute("ROLLBACK")
    finally:
        await blocker.close()

    with celery_worker(stack.env, tmp_path / "fresh.log"):
        paid = await payout_reaches(payout_id, PayoutStatus.PAID, within=60)
        await jobs_finished()

    account = await stripe_account(creator)
    transfers = [t for t in await emulator_list(stack, "transfers") if t["destination"] == account]
    assert len(transfers) == 1  # the killed run's transfer, replayed by its idempotency key
    assert transfers[0]["id"] == paid.transfer_id
    assert len(await emulator_list(stack, "payouts", account=account)) == 1
    assert await balance(creator) == 0
