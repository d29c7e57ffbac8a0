"""Connect's events, as often and in whatever order Stripe sends them, move a payout once."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest
from tortoise import timezone

from backend.accounts.models import User
from backend.notifications.models import Notification
from backend.outbox import publisher
from backend.outbox.models import JobStatus, OutboxJob
from backend.payments.models import StripeEvent
from backend.payouts import service
from backend.payouts.models import Payout, PayoutStatus
from backend.settings import DEV_STRIPE_CONNECT_WEBHOOK_SECRET, Settings
from backend.wallet.models import Movement, MovementKind
from tests.payments.stack import signature_header
from tests.payouts.conftest import CONNECT_PATH, PLATFORM_PATH, PayoutStack
from tests.payouts.support import (
    creator_with_earnings,
    emulator_list,
    onboard,
    payout_reaches,
    request_payout,
    stripe_account,
)
from tests.support.accounts import Account
from tests.support.waiting import eventually
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


def stripe_event(
    event_type: str, stripe_object: dict[str, Any], *, account: str | None
) -> dict[str, Any]:
    event = {
        "id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": event_type,
        "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
        "api_version": "2025-01-27.acacia", "request": {"id": None, "idempotency_key": None},
        "data": {"object": stripe_object},
    }  # fmt: skip
    if account is not None:
        event["account"] = account
    return event


async def deliver(stack: PayoutStack, event: dict[str, Any], settings: Settings) -> httpx.Response:
    connect = "account" in event
    body = json.dumps(event, indent=2).encode()
    secret = (
        DEV_STRIPE_CONNECT_WEBHOOK_SECRET if connect else
        settings.stripe_webhook_secret.get_secret_value()
    )  # fmt: skip
    return await stack.api.post(
        CONNECT_PATH if connect else PLATFORM_PATH,
        content=body,
        headers={"Stripe-Signature": signature_header(body, secret)},
    )


async def paid_payout(stack: PayoutStack, creator: Account, tokens: int) -> Payout:
    answer = await request_payout(stack, creator, tokens)
    assert answer.status_code == 201, answer.text
    return await payout_reaches(answer.json()["id"], PayoutStatus.PAID)


async def test_payout_paid_delivered_twenty_times_pays_once(
    payouts: PayoutStack, settings: Settings
) -> None:
    creator = await creator_with_earnings(payouts, 300)
    await onboard(payouts, creator)
    payout = await paid_payout(payouts, creator, 300)
    [paid_event] = await emulator_list(
        payouts, "events", type="payout.paid", object_id=str(payout.stripe_payout_id)
    )
    record = (await payouts.control.get(f"/_emulator/events/{paid_event['id']}")).json()

    answers = [await deliver(payouts, record["event"], settings) for _ in range(20)]

    assert {answer.status_code for answer in answers} == {200}
    assert (await Payout.get(id=payout.id)).status == PayoutStatus.PAID
    assert await balance(creator) == 0
    notices = Notification.filter(recipient_id=creator.id, kind="payout_paid")
    assert await eventually(notices.count, lambda n: n >= 1) == 1


async def test_a_failure_that_overtakes_the_transfer_returns_once_and_sends_nothing(
    payouts: PayoutStack, settings: Settings
) -> None:
    creator = await creator_with_earnings(payouts, 400)
    await onboard(payouts, creator)
    account = await stripe_account(creator)
    # The payout commits, but its job is not published yet: Stripe's event comes first.
    active = publisher.current()
    publisher.install(None)
    try:
        user = await User.get(id=creator.id)
        app_settings = payouts.api.app.ctx.settings  # type: ignore[attr-defined]
        requested = await service.request_payout(app_settings, user, 400, timezone.now())
    finally:
        publisher.install(active)
    failure = stripe_event(
        "payout.failed",
        {"id": f"po_{uuid.uuid4().hex[:14]}", "object": "payout", "amount": 2000,
         "currency": "usd", "status": "failed", "failure_code": "account_closed",
         "failure_message": "The bank account has been closed.",
         "metadata": {"payout_id": str(requested.id)}},
        account=account,
    )  # fmt: skip

    first = await deliver(payouts, failure, settings)
    again = await deliver(payouts, {**failure, "id": f"evt_{uuid.uuid4().hex[:24]}"}, settings)

    assert (first.status_code, again.status_code) == (200, 200)
    failed = await payout_reaches(str(requested.id), PayoutStatus.FAILED)
    assert failed.failure_code == "account_closed"
    assert await eventually(lambda: balance(creator), lambda b: b == 400) == 400
    returns = Movement.filter(kind=MovementKind.PAYOUT_RETURN, key=f"payout_return:{failed.id}")
    assert await returns.count() == 1
    # Now its job runs: the payout is over, so no money is sent.
    job = await OutboxJob.get(task=service.SEND_PAYOUT, args__contains=[str(requested.id)])
    await payouts.api.app.ctx.publisher.publish(  # type: ignore[attr-defined]
        [publisher.JobMessage(job.id, job.task, list(job.args), None)]
    )
    await eventually(lambda: OutboxJob.get(id=job.id), lambda j: j.status == JobStatus.SUCCEEDED)
    assert not [t for t in await emulator_list(payouts, "transfers") if t["destination"] == account]
    assert (await Payout.get(id=failed.id)).transfer_id is None


async def test_a_reversal_and_a_failure_of_one_payout_return_its_tokens_once(
    payouts: PayoutStack, settings: Settings
) -> None:
    creator = await creator_with_earnings(payouts, 250)
    await onboard(payouts, creator)
    payout = await paid_payout(payouts, creator, 250)
    reversal = stripe_event(
        "transfer.reversed",
        {"id": payout.transfer_id, "object": "transfer", "amount": 1250, "currency": "usd",
         "amount_reversed": 1250, "reversed": True,
         "metadata": {"payout_id": str(payout.id)}},
        account=None,
    )  # fmt: skip
    failure = stripe_event(
        "payout.failed",
        {"id": payout.stripe_payout_id, "object": "payout", "amount": 1250, "currency": "usd",
         "status": "failed", "failure_code": "no_account", "failure_message": "No account.",
         "metadata": {"payout_id": str(payout.id)}},
        account=await stripe_account(creator),
    )  # fmt: skip

    for event in (reversal, reversal, failure, reversal):
        assert (await deliver(payouts, event, settings)).status_code == 200

    over = await payout_reaches(str(payout.id), PayoutStatus.REVERSED)
    assert over.return_movement_id is not None
    assert await eventually(lambda: balance(creator), lambda b: b == 250) == 250
    returns = Movement.filter(kind=MovementKind.PAYOUT_RETURN, key=f"payout_return:{over.id}")
    assert await returns.count() == 1


async def test_an_account_that_needs_attention_tells_its_creator(payouts: PayoutStack) -> None:
    creator = await creator_with_earnings(payouts, 100)
    await onboard(payouts, creator)

    restricted = await payouts.control.post(
        f"/_emulator/accounts/{await stripe_account(creator)}/restrict"
    )

    assert restricted.status_code == 200, restricted.text
    notice = await eventually(
        lambda: Notification.filter(
            recipient_id=creator.id, kind="payout_account_attention"
        ).first()
    )
    assert notice is not None
    assert notice.data["requirements_due"]
    state = (await payouts.api.get("/api/payouts/account", headers=creator.auth)).json()
    assert (state["state"], state["payouts_enabled"]) == ("restricted", False)
    assert (await request_payout(payouts, creator, 100)).status_code == 409


async def test_an_older_account_report_changes_nothing(
    payouts: PayoutStack, settings: Settings
) -> None:
    creator = await creator_with_earnings(payouts, 100)
    await onboard(payouts, creator)
    stale = stripe_event(
        "account.updated",
        {"id": await stripe_account(creator), "object": "account", "payouts_enabled": False,
         "details_submitted": False, "requirements": {"currently_due": ["individual.ssn_last_4"]}},
        account=await stripe_account(creator),
    )  # fmt: skip
    stale["created"] = int(time.time()) - 3600

    assert (await deliver(payouts, stale, settings)).status_code == 200

    await eventually(lambda: _handled(stale["id"]), lambda done: done)
    state = (await payouts.api.get("/api/payouts/account", headers=creator.auth)).json()
    assert state["state"] == "enabled"


async def test_a_connect_event_must_be_signed_with_the_connect_secret(
    payouts: PayoutStack, settings: Settings
) -> None:
    event = stripe_event("account.updated", {"id": "acct_x", "object": "account"}, account="acct_x")
    body = json.dumps(event).encode()
    platform_signed = signature_header(body, settings.stripe_webhook_secret.get_secret_value())

    refused = await payouts.api.post(
        CONNECT_PATH, content=body, headers={"Stripe-Signature": platform_signed}
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_signature"


async def _handled(event_id: str) -> bool:
    found = await StripeEvent.get_or_none(id=event_id)
    return found is not None and found.handled_at is not None
