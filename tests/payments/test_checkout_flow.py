"""From the hosted checkout page to tokens, as the emulator drives it (live webhooks)."""

from __future__ import annotations

import pytest

from backend.notifications.models import Notification
from backend.payments.models import StripeEvent
from tests.payments.stack import Stack
from tests.payments.support import (
    SMALL_TOKENS,
    act,
    credits,
    event,
    fan_entries,
    handled,
    pay,
    purchase,
    session_of,
    settled,
    start_checkout,
)
from tests.support.accounts import create_account
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_paying_credits_the_tokens_once_and_tells_the_fan(
    stack: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)

    intent = await pay(stack, checkout)

    paid = await settled(checkout.purchase_id, "paid")
    assert paid.payment_intent_id == intent
    assert paid.paid_at is not None
    completed = await event(stack, checkout.session_id, "checkout.session.completed")
    succeeded = await event(stack, intent, "payment_intent.succeeded")
    await handled(completed["id"])
    await handled(succeeded["id"])
    assert await balance(fan) == SMALL_TOKENS
    assert await credits(checkout.purchase_id) == 1
    assert await fan_entries(fan) == [("purchase", SMALL_TOKENS)]

    seen = (await stack.api.get(f"/api/payments/{checkout.purchase_id}", headers=fan.auth)).json()
    assert (seen["status"], seen["tokens_refunded"], seen["failure_reason"]) == ("paid", 0, None)
    assert (await stack.api.get("/api/wallet", headers=fan.auth)).json() == {
        "balance": SMALL_TOKENS
    }
    notice = await eventually(lambda: Notification.filter(recipient_id=fan.id).first())
    assert notice is not None
    assert (notice.kind, notice.data) == (
        "purchase", {"tokens": SMALL_TOKENS, "purchase_id": checkout.purchase_id},
    )  # fmt: skip


async def test_a_resent_event_changes_nothing(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    await pay(stack, checkout)
    completed = await event(stack, checkout.session_id, "checkout.session.completed")
    first = await handled(completed["id"])

    resent = await stack.control.post(f"/_emulator/events/{completed['id']}/resend")
    assert resent.status_code == 200

    stored = await eventually(
        lambda: StripeEvent.get(id=completed["id"]), lambda e: e.deliveries == 2
    )
    assert stored.handled_at == first.handled_at
    assert await balance(fan) == SMALL_TOKENS
    assert await credits(checkout.purchase_id) == 1


async def test_a_declined_card_leaves_the_purchase_pending_with_the_reason(
    stack: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)

    session = await act(stack, checkout, "decline")

    failed = await event(stack, session["payment_intent"], "payment_intent.payment_failed")
    await handled(failed["id"])
    declined = await purchase(checkout.purchase_id)
    assert declined.status == "pending"  # the customer may try another card
    assert declined.failure_reason == "Your card was declined."
    seen = (await stack.api.get(f"/api/payments/{checkout.purchase_id}", headers=fan.auth)).json()
    assert seen["failure_reason"] == "Your card was declined."

    await pay(stack, checkout)  # another card on the same session
    paid = await settled(checkout.purchase_id, "paid")
    assert paid.failure_reason is None
    assert await balance(fan) == SMALL_TOKENS


async def test_a_bank_payment_credits_only_once_it_settles(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)

    await act(stack, checkout, "pay-later")

    completed = await event(stack, checkout.session_id, "checkout.session.completed")
    assert completed["data"]["object"]["payment_status"] == "unpaid"
    await handled(completed["id"])
    assert (await purchase(checkout.purchase_id)).status == "pending"
    assert await balance(fan) == 0

    await act(stack, checkout, "async-payment", outcome="succeeded")

    await settled(checkout.purchase_id, "paid")
    succeeded = await event(stack, checkout.session_id, "checkout.session.async_payment_succeeded")
    await handled(succeeded["id"])
    assert await balance(fan) == SMALL_TOKENS
    assert await credits(checkout.purchase_id) == 1


async def test_a_failed_bank_payment_fails_the_purchase(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    await act(stack, checkout, "pay-later")
    await act(stack, checkout, "async-payment", outcome="failed")

    failed = await settled(checkout.purchase_id, "failed")
    assert failed.failure_reason
    assert await balance(fan) == 0
    assert await credits(checkout.purchase_id) == 0


async def test_an_expired_checkout_expires_the_purchase(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)

    await act(stack, checkout, "expire")

    await settled(checkout.purchase_id, "expired")
    assert await balance(fan) == 0


async def test_a_checkout_left_from_its_cancel_page_ends_expired(
    stack: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    opened_for = checkout.session["expires_at"] - checkout.session["created"]
    assert 30 * 60 <= opened_for <= 32 * 60  # short: an abandoned checkout ends soon

    left = await stack.api.post(f"/api/payments/{checkout.purchase_id}/abandon", headers=fan.auth)

    assert left.status_code == 200, left.text
    assert left.json()["status"] == "expired"  # the return page and the list agree at once
    session = await session_of(stack, checkout.purchase_id)
    assert (session["status"], session["url"]) == ("expired", None)  # it can't be paid now
    expired = await event(stack, checkout.session_id, "checkout.session.expired")
    stored = await handled(expired["id"])
    assert stored.outcome == "checkout expired"
    listed = (await stack.api.get("/api/payments", headers=fan.auth)).json()["items"]
    assert [(p["id"], p["status"]) for p in listed] == [(checkout.purchase_id, "expired")]
    again = await stack.api.post(f"/api/payments/{checkout.purchase_id}/abandon", headers=fan.auth)
    assert again.json()["status"] == "expired"
    assert await balance(fan) == 0


async def test_leaving_a_paid_checkout_changes_nothing(stack: Stack, worker: Process) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    await pay(stack, checkout)
    await settled(checkout.purchase_id, "paid")

    left = await stack.api.post(f"/api/payments/{checkout.purchase_id}/abandon", headers=fan.auth)

    assert (left.status_code, left.json()["status"]) == (200, "paid")
    assert await balance(fan) == SMALL_TOKENS
    other = await create_account("fan")
    stranger = await stack.api.post(
        f"/api/payments/{checkout.purchase_id}/abandon", headers=other.auth
    )
    assert stranger.status_code == 404
