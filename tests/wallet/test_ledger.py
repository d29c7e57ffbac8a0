"""The ledger's own guarantees: append-only, balanced movements, once per key."""

from __future__ import annotations

import uuid

import pytest
from asyncpg.exceptions import RaiseError
from tortoise import timezone
from tortoise.transactions import in_transaction

from backend.payments.models import Purchase
from backend.wallet import ledger
from backend.wallet.ledger import Leg, Posted
from backend.wallet.models import Entry, EntryKind, Movement, MovementKind
from backend.wallet.service import credit_from_platform
from tests.support.accounts import create_account
from tests.wallet.support import balance, fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_entries_and_movements_cannot_be_changed_or_deleted() -> None:
    fan = await create_account("fan")
    await fund(fan, 10)
    entry = await Entry.filter(amount=10).get()

    for attempt in (
        lambda: Entry.filter(id=entry.id).update(amount=1000),
        lambda: Entry.filter(id=entry.id).delete(),
        lambda: Movement.filter(id=entry.movement_id).update(key="other"),
        lambda: Movement.filter(id=entry.movement_id).delete(),
    ):
        with pytest.raises(RaiseError, match="append-only"):
            await attempt()
    assert await balance(fan) == 10
    assert (await Entry.get(id=entry.id)).amount == 10


async def test_a_movement_posted_twice_with_one_key_counts_once() -> None:
    fan = await create_account("fan")
    purchase = await Purchase.create(
        user_id=fan.id, package_id="test", tokens=7, amount_cents=70, currency="usd"
    )

    async def credit() -> Posted | None:
        async with in_transaction():
            return await credit_from_platform(
                MovementKind.PURCHASE,
                uuid.UUID(fan.id),
                7,
                key="credit:pi_once",
                purchase_id=purchase.id,
                description="Bought 7 tokens",
            )

    posted, again = await credit(), await credit()
    await Purchase.filter(id=purchase.id).update(paid_at=timezone.now())

    assert posted is not None
    assert again is None
    assert await balance(fan) == 7
    assert await Movement.filter(key="credit:pi_once").count() == 1


async def test_a_movement_must_balance() -> None:
    fan = await create_account("fan")
    async with in_transaction():
        wallet = await ledger.user_wallet(uuid.UUID(fan.id))
    with pytest.raises(ValueError, match="sum to zero"):
        async with in_transaction():
            await ledger.post(
                MovementKind.PURCHASE, "free-money", [Leg(wallet, 5, EntryKind.PURCHASE, "", "")]
            )
    assert await balance(fan) == 0
