"""`digis ledger reconcile` finds every kind of broken money invariant, and only those."""

from __future__ import annotations

import json
import uuid

import pytest
from tortoise import connections, timezone
from tortoise.transactions import in_transaction

from backend.payments.models import Purchase
from backend.wallet import ledger
from backend.wallet.ledger import Leg
from backend.wallet.models import EntryKind, MovementKind, Tip
from backend.wallet.reconcile import reconcile
from backend.wallet.service import credit_from_platform, debit_to_platform
from tests.support.accounts import Account, create_account
from tests.support.cli import digis
from tests.wallet.support import fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def checks_failing() -> set[str]:
    return {violation.check for violation in (await reconcile()).violations}


async def paid_purchase(account: Account, tokens: int = 10) -> Purchase:
    return await Purchase.create(
        user_id=account.id,
        package_id="test",
        tokens=tokens,
        amount_cents=tokens * 10,
        currency="usd",
        paid_at=timezone.now(),
    )


async def test_a_consistent_ledger_passes_and_the_command_exits_0() -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 40)

    result = await digis("ledger", "reconcile", "--json")

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["clean"] is True
    assert report["violations"] == []
    assert report["counts"]["purchases"] == 1
    human = await digis("ledger", "reconcile")
    assert human.returncode == 0
    assert human.stdout.startswith("ledger is consistent")
    assert creator  # a wallet-less user is fine too


async def test_a_stored_balance_that_disagrees_with_its_entries(corrupts_ledger: None) -> None:
    fan = await create_account("fan")
    await fund(fan, 10)
    await connections.get("default").execute_query(
        'UPDATE "wallets" SET "balance" = "balance" + 5 WHERE "owner_id" = $1', [fan.id]
    )

    assert await checks_failing() == {"wallet_balance"}
    result = await digis("ledger", "reconcile", "--json")
    assert result.returncode == 1
    [violation] = json.loads(result.stdout)["violations"]
    assert violation["check"] == "wallet_balance"
    assert "stored balance 15 but its entries sum to 10" in violation["detail"]
    human = await digis("ledger", "reconcile")
    assert human.returncode == 1
    assert "[wallet_balance]" in human.stdout


async def test_a_movement_whose_entries_do_not_sum_to_zero(corrupts_ledger: None) -> None:
    fan = await create_account("fan")
    await fund(fan, 10)
    db = connections.get("default")
    [row] = await db.execute_query_dict(
        'SELECT "movement_id", "wallet_id" FROM "ledger_entries" WHERE "amount" = 10'
    )
    await db.execute_query(
        'INSERT INTO "ledger_entries" ("movement_id", "wallet_id", "amount", "kind", '
        '"description", "reference", "created_at") VALUES ($1, $2, 3, $3, $4, $5, now())',
        [row["movement_id"], row["wallet_id"], "purchase", "forged", "x"],
    )
    await db.execute_query(
        'UPDATE "wallets" SET "balance" = "balance" + 3 WHERE "id" = $1', [row["wallet_id"]]
    )

    failing = await checks_failing()
    assert "movement_sum" in failing
    assert "wallet_balance" not in failing  # the balance agrees with the forged entry


async def test_a_spend_that_took_a_balance_below_zero(corrupts_ledger: None) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    async with in_transaction():
        sender = await ledger.user_wallet(uuid.UUID(fan.id))
        recipient = await ledger.user_wallet(uuid.UUID(creator.id))
        posted = await ledger.post(  # as if the spend had not checked the balance
            MovementKind.TIP,
            "tip:overdrawn",
            [
                Leg(sender, -5, EntryKind.TIP_SENT, "out", "ref"),
                Leg(recipient, 5, EntryKind.TIP_RECEIVED, "in", "ref"),
            ],
        )
        assert posted is not None
        await Tip.create(
            id=uuid.uuid4(), fan_id=fan.id, creator_id=creator.id, amount=5,
            movement_id=posted.movement_id,
        )  # fmt: skip

    assert await checks_failing() == {"spend_below_zero"}


async def test_a_tip_whose_movement_moved_another_amount(corrupts_ledger: None) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 10)
    async with in_transaction():
        sender = await ledger.user_wallet(uuid.UUID(fan.id))
        recipient = await ledger.user_wallet(uuid.UUID(creator.id))
        posted = await ledger.post(
            MovementKind.TIP,
            "tip:short",
            [
                Leg(sender, -2, EntryKind.TIP_SENT, "out", "ref", must_cover=True),
                Leg(recipient, 2, EntryKind.TIP_RECEIVED, "in", "ref"),
            ],
        )
        assert posted is not None
        await Tip.create(
            id=uuid.uuid4(), fan_id=fan.id, creator_id=creator.id, amount=3,
            movement_id=posted.movement_id,
        )  # fmt: skip

    assert await checks_failing() == {"tip_transfer"}


async def test_a_purchase_credited_twice(corrupts_ledger: None) -> None:
    fan = await create_account("fan")
    purchase_id = await fund(fan, 10)
    async with in_transaction():
        await credit_from_platform(
            MovementKind.PURCHASE, uuid.UUID(fan.id), 10, key="credit:pi_other",
            purchase_id=purchase_id, description="again",
        )  # fmt: skip

    report = await reconcile()
    assert {v.check for v in report.violations} == {"purchase_credit"}
    assert "credited 2 time(s), 20 tokens" in report.violations[0].detail


async def test_a_credit_for_a_purchase_that_was_never_paid(corrupts_ledger: None) -> None:
    fan = await create_account("fan")
    unpaid = await Purchase.create(
        user_id=fan.id, package_id="test", tokens=10, amount_cents=100, currency="usd"
    )
    async with in_transaction():
        await credit_from_platform(
            MovementKind.PURCHASE, uuid.UUID(fan.id), 10, key=f"credit:{unpaid.id}",
            purchase_id=unpaid.id, description="free tokens",
        )  # fmt: skip

    report = await reconcile()
    assert [v.detail for v in report.violations] == ["not paid but credited 1 time(s), 10 tokens"]


async def test_refunds_beyond_what_was_credited(corrupts_ledger: None) -> None:
    fan = await create_account("fan")
    purchase = await paid_purchase(fan, tokens=10)
    async with in_transaction():
        await credit_from_platform(
            MovementKind.PURCHASE, uuid.UUID(fan.id), 10, key="credit:pi_x",
            purchase_id=purchase.id, description="bought",
        )  # fmt: skip
        await debit_to_platform(
            MovementKind.REFUND, uuid.UUID(fan.id), 12, key="refund:too-much",
            purchase_id=purchase.id, description="refund",
        )  # fmt: skip

    details = [v.detail for v in (await reconcile()).violations]
    assert "took back 12 tokens but credited 10" in details
    assert "refunded in the ledger: 12 tokens; on the purchase: 0" in details


async def test_a_movement_that_belongs_to_nothing(corrupts_ledger: None) -> None:
    first, second = await create_account("fan"), await create_account("fan")
    await fund(first, 10)
    async with in_transaction():
        sender = await ledger.user_wallet(uuid.UUID(first.id))
        recipient = await ledger.user_wallet(uuid.UUID(second.id))
        await ledger.post(
            MovementKind.TIP,
            "tip:no-tip-row",
            [
                Leg(sender, -1, EntryKind.TIP_SENT, "out", "ref", must_cover=True),
                Leg(recipient, 1, EntryKind.TIP_RECEIVED, "in", "ref"),
            ],
        )

    assert await checks_failing() == {"orphan_movement"}
