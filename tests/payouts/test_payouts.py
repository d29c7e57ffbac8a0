"""A creator sets up payouts, earns, asks for a payout and is paid; failures give back."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from backend.notifications.models import Notification
from backend.payouts.models import Payout, PayoutStatus
from backend.wallet.models import Movement, MovementKind
from tests.payouts.conftest import PayoutStack
from tests.payouts.support import (
    account_state,
    creator_with_earnings,
    earnings,
    emulator_list,
    onboard,
    onboarding_url,
    payout_reaches,
    request_payout,
    stripe_account,
    tip,
)
from tests.support.accounts import create_account
from tests.support.waiting import eventually
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_onboarding_completed_enables_payouts(payouts: PayoutStack) -> None:
    creator = await create_account("creator")
    assert await account_state(payouts, creator) == "none"

    assert await onboard(payouts, creator, complete=True) == "enabled"

    answer = (await payouts.api.get("/api/payouts/account", headers=creator.auth)).json()
    assert answer == {
        "state": "enabled", "payouts_enabled": True, "requirements_due": [],
        "disabled_reason": None,
    }  # fmt: skip
    # Setting up again gives a new link to the same account.
    account = await stripe_account(creator)
    await onboarding_url(payouts, creator)
    assert await stripe_account(creator) == account
    assert len(await emulator_list(payouts, "accounts")) >= 1


async def test_onboarding_left_for_later_stays_restricted_and_refuses_payouts(
    payouts: PayoutStack,
) -> None:
    creator = await creator_with_earnings(payouts, 500)

    assert await onboard(payouts, creator, complete=False) == "restricted"

    answer = (await payouts.api.get("/api/payouts/account", headers=creator.auth)).json()
    assert answer["payouts_enabled"] is False
    assert answer["requirements_due"]
    refused = await request_payout(payouts, creator, 200)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "payouts_not_enabled"
    assert await balance(creator) == 500


async def test_only_creators_have_payout_accounts(payouts: PayoutStack) -> None:
    fan = await create_account("fan")
    for method, path in [("GET", "/api/payouts/account"), ("POST", "/api/payouts/account"),
                         ("GET", "/api/earnings"), ("POST", "/api/payouts")]:  # fmt: skip
        answer = await payouts.api.request(method, path, headers=fan.auth, json={"tokens": 100})
        assert answer.status_code == 403, (method, path, answer.text)


async def test_a_payout_is_transferred_then_paid_and_the_creator_told(
    payouts: PayoutStack,
) -> None:
    creator = await creator_with_earnings(payouts, 500)
    await onboard(payouts, creator)
    before = await earnings(payouts, creator)
    assert (before["available_tokens"], before["lifetime_tokens"]) == (500, 500)
    assert before["available_cents"] == 500 * before["token_payout_cents"]

    requested = await request_payout(payouts, creator, 400)

    assert requested.status_code == 201, requested.text
    body = requested.json()
    assert (body["tokens"], body["amount_cents"], body["status"]) == (400, 2000, "requested")
    assert await balance(creator) == 100  # the tokens left at once
    paid = await payout_reaches(body["id"], PayoutStatus.PAID)
    assert paid.transfer_id is not None
    assert paid.stripe_payout_id is not None
    account = await stripe_account(creator)
    transfers = await emulator_list(payouts, "transfers")
    [transfer] = [t for t in transfers if t["destination"] == account]
    assert (transfer["id"], transfer["amount"]) == (paid.transfer_id, 2000)
    after = await earnings(payouts, creator)
    assert (after["available_tokens"], after["paid_out_tokens"]) == (100, 400)
    listed = (await payouts.api.get("/api/payouts", headers=creator.auth)).json()["items"]
    assert [(p["id"], p["status"]) for p in listed] == [(body["id"], "paid")]
    notice = await eventually(
        lambda: Notification.filter(recipient_id=creator.id, kind="payout_paid").first()
    )
    assert notice is not None
    assert notice.data["tokens"] == 400


async def test_a_payout_below_the_minimum_or_above_what_is_available_is_refused(
    payouts: PayoutStack,
) -> None:
    creator = await creator_with_earnings(payouts, 150)
    await onboard(payouts, creator)

    small = await request_payout(payouts, creator, 99)
    large = await request_payout(payouts, creator, 151)

    assert small.status_code == 422
    assert small.json()["error"]["details"]["fields"][0]["field"] == "tokens"
    assert large.status_code == 409
    assert large.json()["error"]["code"] == "insufficient_earnings"
    assert large.json()["error"]["details"] == {"available_tokens": 150, "requested_tokens": 151}
    assert await balance(creator) == 150
    assert not await Payout.filter(creator_id=creator.id).exists()


async def test_fifty_concurrent_requests_never_take_more_than_is_available(
    payouts: PayoutStack,
) -> None:
    creator = await creator_with_earnings(payouts, 1000)
    await onboard(payouts, creator)

    answers = await asyncio.gather(*(request_payout(payouts, creator, 150) for _ in range(50)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == 6  # 6 x 150 = 900 of the 1000
    assert set(statuses) == {201, 409}
    assert await balance(creator) == 100
    assert await Payout.filter(creator_id=creator.id).count() == 6
    for answer in answers:
        if answer.status_code == 201:
            await payout_reaches(answer.json()["id"], PayoutStatus.PAID, within=60)


async def test_the_same_idempotency_key_pays_out_once(payouts: PayoutStack) -> None:
    creator = await creator_with_earnings(payouts, 600)
    await onboard(payouts, creator)
    key = uuid.uuid4().hex

    first = await request_payout(payouts, creator, 200, key=key)
    again = await request_payout(payouts, creator, 200, key=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await balance(creator) == 400


async def test_tokens_on_hold_are_payable_only_once_the_hold_ends(payouts: PayoutStack) -> None:
    creator = await create_account("creator")
    await onboard(payouts, creator)
    hold_days = 7
    settings = payouts.api.app.ctx.settings  # type: ignore[attr-defined]
    settings.earnings_hold_days = hold_days
    try:
        await tip(payouts, creator, 300)
        held = await earnings(payouts, creator)
        assert (held["available_tokens"], held["on_hold_tokens"]) == (0, 300)
        assert held["next_release_at"] is not None
        refused = await request_payout(payouts, creator, 300)
        assert refused.status_code == 409
        assert refused.json()["error"]["details"]["available_tokens"] == 0

        payouts.clock.offset = hold_days * 86400 + 60  # a week later

        released = await earnings(payouts, creator)
        assert (released["available_tokens"], released["on_hold_tokens"]) == (300, 0)
        assert (await request_payout(payouts, creator, 300)).status_code == 201
    finally:
        settings.earnings_hold_days = 0


async def test_a_failed_bank_payout_gives_its_tokens_back_once(payouts: PayoutStack) -> None:
    creator = await creator_with_earnings(payouts, 500)
    await onboard(payouts, creator)
    body = (await request_payout(payouts, creator, 500)).json()
    paid = await payout_reaches(body["id"], PayoutStatus.PAID)

    failed = await payouts.control.post(
        f"/_emulator/payouts/{paid.stripe_payout_id}/fail", json={"failure_code": "account_closed"}
    )
    assert failed.status_code == 200, failed.text

    over = await payout_reaches(body["id"], PayoutStatus.FAILED)
    assert over.failure_code == "account_closed"
    assert await eventually(lambda: balance(creator), lambda b: b == 500) == 500
    # The same event again, and a reversal of the transfer too: nothing more comes back.
    [event] = await emulator_list(
        payouts, "events", type="payout.failed", object_id=str(over.stripe_payout_id)
    )
    resent = await payouts.control.post(f"/_emulator/events/{event['id']}/resend")
    assert resent.status_code == 200
    reversed_ = await payouts.control.post(f"/_emulator/transfers/{over.transfer_id}/reverse")
    assert reversed_.status_code == 200, reversed_.text
    await eventually(
        lambda: emulator_list(
            payouts, "events", type="transfer.reversed", object_id=str(over.transfer_id)
        ),
        lambda found: bool(found) and found[0]["delivery_status"] == "delivered",
    )
    returns = Movement.filter(kind=MovementKind.PAYOUT_RETURN, key=f"payout_return:{over.id}")
    assert await returns.count() == 1
    assert await balance(creator) == 500
    notice = await eventually(
        lambda: Notification.filter(recipient_id=creator.id, kind="payout_failed").first()
    )
    assert notice is not None
    assert "bank" in str(notice.data["message"])
