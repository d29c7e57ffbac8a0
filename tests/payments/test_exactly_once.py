"""Whatever Stripe sends, however often and in whatever order, a payment credits once.

The emulator records its events without delivering them; each test delivers them itself,
signed like Stripe, in the order and number it needs.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from typing import Any

import pytest

from backend.outbox.models import OutboxJob
from backend.payments.inbox import PROCESS_EVENT
from backend.payments.models import Purchase, StripeEvent
from tests.payments.stack import Stack, deliver
from tests.payments.support import (
    SMALL_PRICE,
    SMALL_TOKENS,
    Checkout,
    close_dispute,
    credits,
    dispute,
    event,
    events,
    fan_entries,
    handled,
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


async def paid_checkout(recorder: Stack) -> tuple[Account, Checkout, str]:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    return fan, checkout, await pay(recorder, checkout)


async def delivered(recorder: Stack, *payloads: dict[str, Any]) -> None:
    for payload in payloads:
        response = await deliver(recorder.api, payload, recorder.secret)
        assert response.status_code == 200, response.text


async def attempts(event_id: str) -> int:
    stored = await StripeEvent.get(id=event_id)
    job = await OutboxJob.get(id=stored.job_id)
    return job.run_attempts


async def test_one_event_delivered_20_times_at_once_credits_once(
    recorder: Stack, worker: Process
) -> None:
    fan, checkout, _ = await paid_checkout(recorder)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")

    responses = await asyncio.gather(
        *(deliver(recorder.api, completed, recorder.secret) for _ in range(20))
    )

    assert [response.status_code for response in responses] == [200] * 20
    stored = await handled(completed["id"])
    assert stored.deliveries == 20
    assert stored.outcome == f"credited {SMALL_TOKENS} tokens"
    assert await OutboxJob.filter(task=PROCESS_EVENT).count() == 1  # only the new one got a job
    assert await credits(checkout.purchase_id) == 1
    assert await balance(fan) == SMALL_TOKENS
    assert (await purchase(checkout.purchase_id)).status == "paid"


@pytest.mark.parametrize("order", ["completed first", "intent first", "together"])
async def test_completed_and_payment_intent_succeeded_for_one_payment_credit_once(
    recorder: Stack, worker: Process, order: str
) -> None:
    fan, checkout, intent = await paid_checkout(recorder)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    succeeded = await event(recorder, intent, "payment_intent.succeeded")

    if order == "completed first":
        await delivered(recorder, completed)
        await handled(completed["id"])
        await delivered(recorder, succeeded)
    elif order == "intent first":
        await delivered(recorder, succeeded)
        await handled(succeeded["id"])
        await delivered(recorder, completed)
    else:
        await asyncio.gather(delivered(recorder, completed), delivered(recorder, succeeded))

    outcomes = {(await handled(completed["id"])).outcome, (await handled(succeeded["id"])).outcome}
    assert outcomes == {f"credited {SMALL_TOKENS} tokens", "already credited"}
    assert await credits(checkout.purchase_id) == 1
    assert await balance(fan) == SMALL_TOKENS
    paid = await purchase(checkout.purchase_id)
    assert paid.payment_intent_id == intent
    assert paid.charge_id is not None  # learned from the intent, whichever came first


async def test_an_event_arriving_before_its_purchase_is_retried_not_dropped(
    recorder: Stack, worker: Process
) -> None:
    fan, checkout, _ = await paid_checkout(recorder)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    future_id = str(uuid.uuid4())  # a purchase the database does not have yet
    early = copy.deepcopy(completed)
    early["id"] = f"evt_early_{uuid.uuid4().hex}"
    session = early["data"]["object"]
    session["metadata"]["purchase_id"] = session["client_reference_id"] = future_id
    session["id"] = f"cs_test_early_{uuid.uuid4().hex}"
    session["payment_intent"] = f"pi_early_{uuid.uuid4().hex}"

    await delivered(recorder, early)

    await eventually(lambda: attempts(early["id"]), lambda n: n >= 2)  # it failed, it retries
    assert (await StripeEvent.get(id=early["id"])).handled_at is None
    await Purchase.create(
        id=future_id, user_id=fan.id, package_id="small", tokens=SMALL_TOKENS,
        amount_cents=SMALL_PRICE, currency="usd",
    )  # fmt: skip

    await handled(early["id"])
    await settled(future_id, "paid")
    assert await credits(future_id) == 1
    assert await balance(fan) == SMALL_TOKENS


async def test_a_refund_arriving_before_the_completion_is_applied_after_the_credit(
    recorder: Stack, worker: Process
) -> None:
    fan, checkout, intent = await paid_checkout(recorder)
    await refund(recorder, intent)
    charge_id = (await event(recorder, intent, "payment_intent.succeeded"))["data"]["object"][
        "latest_charge"
    ]
    refunded = await event(recorder, charge_id, "charge.refunded")

    await delivered(recorder, refunded)

    await eventually(lambda: attempts(refunded["id"]), lambda n: n >= 2)
    assert (await StripeEvent.get(id=refunded["id"])).handled_at is None
    assert await balance(fan) == 0
    assert (await purchase(checkout.purchase_id)).status == "pending"

    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    await delivered(recorder, completed)

    await handled(refunded["id"])
    done = await settled(checkout.purchase_id, "refunded")
    assert done.tokens_refunded == SMALL_TOKENS
    assert await balance(fan) == 0
    assert await fan_entries(fan) == [("purchase", SMALL_TOKENS), ("refund", -SMALL_TOKENS)]


async def test_a_late_partial_refund_after_the_full_one_changes_nothing(
    recorder: Stack, worker: Process
) -> None:
    fan, checkout, intent = await paid_checkout(recorder)
    await refund(recorder, intent, 300)
    await refund(recorder, intent)
    charge_id = (await event(recorder, intent, "payment_intent.succeeded"))["data"]["object"][
        "latest_charge"
    ]
    partial, full = await events(recorder, charge_id, "charge.refunded")
    assert (
        partial["data"]["object"]["amount_refunded"],
        full["data"]["object"]["amount_refunded"],
    ) == (300, SMALL_PRICE)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")

    await delivered(recorder, completed)
    await handled(completed["id"])
    await delivered(recorder, full)
    await handled(full["id"])
    await delivered(recorder, partial)
    await handled(partial["id"])
    await delivered(recorder, full)  # and a redelivery, for good measure

    assert (await purchase(checkout.purchase_id)).tokens_refunded == SMALL_TOKENS
    assert await fan_entries(fan) == [("purchase", SMALL_TOKENS), ("refund", -SMALL_TOKENS)]


@pytest.mark.parametrize(
    ("outcome", "final_balance", "status"), [("won", SMALL_TOKENS, "paid"), ("lost", 0, "disputed")]
)
async def test_a_dispute_closed_before_it_is_opened_ends_the_same(
    recorder: Stack, worker: Process, outcome: str, final_balance: int, status: str
) -> None:
    fan, checkout, intent = await paid_checkout(recorder)
    opened = await dispute(recorder, intent)
    await close_dispute(recorder, opened["id"], outcome)
    created = await event(recorder, opened["id"], "charge.dispute.created")
    closed = await event(recorder, opened["id"], "charge.dispute.closed")
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")

    await delivered(recorder, completed)
    await handled(completed["id"])
    await delivered(recorder, closed)
    await handled(closed["id"])
    await delivered(recorder, created)
    await handled(created["id"])

    assert await balance(fan) == final_balance
    assert (await purchase(checkout.purchase_id)).status == status
    expected = [("purchase", SMALL_TOKENS)] + (
        [("dispute", -SMALL_TOKENS)] if outcome == "lost" else []
    )
    assert await fan_entries(fan) == expected
