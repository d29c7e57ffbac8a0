"""Money for tests: fund a wallet through the real settlement code, check the ledger."""

from __future__ import annotations

import uuid

from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.transaction import transaction
from backend.payments import settlement
from backend.payments.models import Purchase
from backend.reconcile import reconcile_all as reconcile
from backend.wallet import ledger
from tests.support.accounts import Account
from tests.support.waiting import eventually


async def fund(account: Account, tokens: int) -> uuid.UUID:
    """Give the account `tokens` as a paid purchase would (without Stripe)."""
    purchase = await Purchase.create(
        user_id=account.id,
        package_id="test",
        tokens=tokens,
        amount_cents=tokens * 10,
        currency="usd",
    )
    async with transaction() as tx:
        locked = await Purchase.filter(id=purchase.id).select_for_update().get()
        await settlement.credit(locked, f"pi_test_{uuid.uuid4().hex}", tx)
    return purchase.id


async def balance(account: Account) -> int:
    return await ledger.balance_of(uuid.UUID(account.id))


async def jobs_finished() -> None:
    """Wait until the worker has run every job handed to the broker, so that none runs
    while the tables are being emptied for the next test."""
    await eventually(  # pending: waiting or in flight
        lambda: OutboxJob.filter(status=JobStatus.PENDING).count(), lambda n: n == 0, within=60
    )


async def assert_ledger_consistent() -> None:
    report = await reconcile()
    assert report.clean, "\n".join(
        f"[{v.check}] {v.subject}: {v.detail}" for v in report.violations
    )
