"""Refunds and disputes take back what was credited; a won dispute gives it back."""

from __future__ import annotations

import pytest

from backend.notifications.models import Notification
from tests.payments.stack import Stack
from tests.payments.support import (
    SMALL_TOKENS,
    Checkout,
    close_dispute,
    dispute,
    fan_entries,
    pay,
    purchase,
    refund,
    settled,
    start_checkout,
)
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def bought(stack: Stack, fan: Account) -> tuple[Checkout, str]:
    checkout = await start_checkout(stack, fan)
    intent = await pay(stack, checkout)
    await settled(checkout.purchase_id, "paid")
    return checkout, intent


async def refund_notices(fan: Account) -> list[dict[str, object]]:
    rows = await Notification.filter(recipient_id=fan.id, kind="refund").order_by("id")
    return [row.data for row in rows]


async def test_a_partial_then_a_full_refund_take_back_in_proportion(
    stack: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout, intent = await bought(stack, fan)

    await refund(stack, intent, 300)  # of 999 cents: 30 of the 100 tokens

    partly = await settled(checkout.purchase_id, "partially_refunded")
    assert partly.tokens_refunded == 30
    assert await balance(fan) == 70
    seen = (await stack.api.get(f"/api/payments/{checkout.purchase_id}", headers=fan.auth)).json()
    assert (seen["status"], seen["tokens_refunded"]) == ("partially_refunded", 30)

    await refund(stack, intent)  # the rest

    fully = await settled(checkout.purchase_id, "refunded")
    assert fully.tokens_refunded == SMALL_TOKENS
    assert await balance(fan) == 0
    assert await fan_entries(fan) == [("purchase", 100), ("refund", -30), ("refund", -70)]
    notices = await eventually(lambda: refund_notices(fan), lambda found: len(found) == 2)
    assert notices == [
        {"tokens": 30, "purchase_id": checkout.purchase_id},
        {"tokens": 70, "purchase_id": checkout.purchase_id},
    ]


async def test_refunding_spent_tokens_leaves_a_debt_that_blocks_spending(
    stack: Stack, worker: Process
) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    _, intent = await bought(stack, fan)
    tipped = await stack.api.post(
        "/api/tips", json={"creator": creator.handle, "amount": 60}, headers=fan.auth
    )
    assert tipped.status_code == 201

    await refund(stack, intent)

    await eventually(lambda: balance(fan), lambda b: b == 40 - SMALL_TOKENS)
    assert (await stack.api.get("/api/wallet", headers=fan.auth)).json() == {"balance": -60}
    assert await balance(creator) == 60  # the creator keeps the tip
    refused = await stack.api.post(
        "/api/tips", json={"creator": creator.handle, "amount": 1}, headers=fan.auth
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"balance": -60, "required": 1}

    await bought(stack, fan)  # buying again repays the debt first
    assert await balance(fan) == 40
    allowed = await stack.api.post(
        "/api/tips", json={"creator": creator.handle, "amount": 40}, headers=fan.auth
    )
    assert allowed.status_code == 201
    assert allowed.json()["balance"] == 0


async def test_a_lost_dispute_keeps_the_tokens_taken_back(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout, intent = await bought(stack, fan)

    opened = await dispute(stack, intent)

    await settled(checkout.purchase_id, "disputed")
    await eventually(lambda: balance(fan), lambda b: b == 0)

    await close_dispute(stack, opened["id"], "lost")

    lost = await eventually(
        lambda: purchase(checkout.purchase_id), lambda p: p.dispute_state == "lost"
    )
    assert lost.status == "disputed"
    assert lost.tokens_disputed == SMALL_TOKENS
    assert await balance(fan) == 0
    assert await fan_entries(fan) == [("purchase", SMALL_TOKENS), ("dispute", -SMALL_TOKENS)]
    notices = await eventually(lambda: refund_notices(fan))
    assert notices == [{"tokens": SMALL_TOKENS, "purchase_id": checkout.purchase_id}]


async def test_a_won_dispute_gives_the_tokens_back(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout, intent = await bought(stack, fan)
    opened = await dispute(stack, intent)
    await settled(checkout.purchase_id, "disputed")
    await eventually(lambda: balance(fan), lambda b: b == 0)

    await close_dispute(stack, opened["id"], "won")

    won = await settled(checkout.purchase_id, "paid")
    assert (won.dispute_state, won.tokens_disputed) == ("won", 0)
    assert await balance(fan) == SMALL_TOKENS
    assert await fan_entries(fan) == [
        ("purchase", SMALL_TOKENS),
        ("dispute", -SMALL_TOKENS),
        ("dispute_won", SMALL_TOKENS),
    ]
    entries = (await stack.api.get("/api/wallet/entries", headers=fan.auth)).json()["items"]
    assert [entry["kind"] for entry in entries] == ["dispute_won", "dispute", "purchase"]
    assert {entry["reference"] for entry in entries} == {checkout.purchase_id}


async def test_a_dispute_after_a_partial_refund_takes_back_only_what_is_left(
    stack: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout, intent = await bought(stack, fan)
    await refund(stack, intent, 500)  # 50 tokens
    await settled(checkout.purchase_id, "partially_refunded")

    await dispute(stack, intent)  # the emulator disputes the remaining 499 cents

    disputed = await settled(checkout.purchase_id, "disputed")
    assert (disputed.tokens_refunded, disputed.tokens_disputed) == (50, 50)
    assert await balance(fan) == 0
    assert await fan_entries(fan) == [("purchase", 100), ("refund", -50), ("dispute", -50)]
