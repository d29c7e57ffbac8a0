"""A creator's earnings, and requesting payouts of them.

A payout is one transaction: the creator's wallet row is locked (so concurrent requests
decide one after the other), what is available is read, the tokens move into the
payouts wallet as one ledger movement, the payout row is written with that movement, and
the job that sends the money through Stripe is queued in the outbox.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from tortoise.expressions import Q

from backend.accounts.models import User
from backend.creators.schemas import UserSummary
from backend.http.errors import Conflict, field_error
from backend.http.pagination import PageQuery, decode_time_cursor, encode_time_cursor
from backend.idempotency.keys import remember_reply
from backend.outbox.transaction import transaction
from backend.payouts.accounts import require_creator
from backend.payouts.models import AccountState, Payout, PayoutAccount
from backend.payouts.schemas import (
    DailyEarningsOut,
    DayOut,
    EarningsOut,
    PayoutOut,
    PayoutPage,
    ReceivedTipOut,
    ReceivedTipPage,
    SupporterOut,
    SupportersOut,
)
from backend.settings import Settings
from backend.wallet import earnings, ledger, tips
from backend.wallet.earnings import Earnings
from backend.wallet.service import pay_out

SEND_PAYOUT = "payouts.send_payout"


def _hold(settings: Settings) -> timedelta:
    return timedelta(days=settings.earnings_hold_days)


async def earnings_summary(settings: Settings, user: User, now: datetime) -> EarningsOut:
    require_creator(user)
    found = await earnings.earnings_of(user.id, now=now, hold=_hold(settings))
    cents = settings.creator_token_payout_cents
    return EarningsOut(
        available_tokens=found.available,
        on_hold_tokens=found.on_hold,
        lifetime_tokens=found.lifetime,
        paid_out_tokens=found.paid_out,
        available_cents=found.available * cents,
        on_hold_cents=found.on_hold * cents,
        lifetime_cents=found.lifetime * cents,
        token_payout_cents=cents,
        currency=settings.payout_currency,
        hold_days=settings.earnings_hold_days,
        minimum_payout_tokens=settings.payout_minimum_tokens,
        next_release_at=found.next_release_at,
    )


async def daily_earnings(user: User, now: datetime, days: int) -> DailyEarningsOut:
    require_creator(user)
    per_day = await earnings.earned_per_day(user.id, today=now.date(), days=days)
    return DailyEarningsOut(days=[DayOut(date=day, tokens=tokens) for day, tokens in per_day])


async def supporters(user: User, limit: int) -> SupportersOut:
    require_creator(user)
    found = await earnings.top_supporters(user.id, limit)
    people = {u.id: u for u in await User.filter(id__in=[s.user_id for s in found])}
    return SupportersOut(
        items=[
            SupporterOut(
                user=UserSummary.of(people[s.user_id]),
                tokens=s.tokens,
                times=s.times,
                last_at=s.last_at,
            )
            for s in found
            if s.user_id in people
        ]
    )


async def received_tips(user: User, query: PageQuery) -> ReceivedTipPage:
    require_creator(user)
    before = decode_time_cursor(query.cursor)
    found = await tips.received(user.id, before=before, limit=query.limit + 1)
    page = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        next_cursor = encode_time_cursor(page[-1].created_at, page[-1].id)
    items = [
        ReceivedTipOut(
            id=tip.id,
            fan=UserSummary.of(tip.fan),
            amount=tip.amount,
            message=tip.message,
            created_at=tip.created_at,
        )
        for tip in page
    ]
    return ReceivedTipPage(items=items, next_cursor=next_cursor)


# Requesting a payout


class PayoutsNotEnabled(Conflict):
    code = "payouts_not_enabled"
    message = "Finish setting up payouts with Stripe before requesting one."


class InsufficientEarnings(Conflict):
    code = "insufficient_earnings"

    def __init__(self, available: int, requested: int) -> None:
        super().__init__(
            f"Only {available} tokens are available to pay out.",
            details={"available_tokens": available, "requested_tokens": requested},
        )


async def request_payout(settings: Settings, user: User, tokens: int, now: datetime) -> PayoutOut:
    """Take `tokens` of the creator's available earnings into a payout; a 409 when payouts
    are not enabled or fewer tokens are available, a 422 below the minimum."""
    require_creator(user)
    account = await PayoutAccount.get_or_none(user_id=user.id)
    if account is None or account.state != AccountState.ENABLED:
        raise PayoutsNotEnabled()
    if tokens < settings.payout_minimum_tokens:
        raise field_error(
            "tokens", f"The smallest payout is {settings.payout_minimum_tokens} tokens."
        )
    payout_id = uuid.uuid4()
    async with transaction() as tx:
        await ledger.lock_user_wallet(user.id)  # concurrent requests decide one at a time
        found = await earnings.earnings_of(user.id, now=now, hold=_hold(settings))
        _check_available(found, tokens)
        posted = await pay_out(user.id, tokens, payout_id=payout_id)
        payout = await Payout.create(
            id=payout_id,
            creator_id=user.id,
            tokens=tokens,
            amount_cents=tokens * settings.creator_token_payout_cents,
            currency=settings.payout_currency,
            stripe_account_id=account.stripe_account_id,
            movement_id=posted.movement_id,
        )
        await tx.enqueue(SEND_PAYOUT, str(payout_id))
        answer = PayoutOut.of(payout)
        await remember_reply(201, answer)
    return answer


def _check_available(found: Earnings, tokens: int) -> None:
    if tokens > found.available:
        raise InsufficientEarnings(found.available, tokens)


async def payouts_page(user: User, query: PageQuery) -> PayoutPage:
    require_creator(user)
    rows = Payout.filter(creator_id=user.id)
    after = decode_time_cursor(query.cursor)
    if after is not None:
        created_at, payout_id = after
        rows = rows.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=payout_id)
        )
    found = await rows.order_by("-created_at", "-id").limit(query.limit + 1)
    page = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        next_cursor = encode_time_cursor(page[-1].created_at, page[-1].id)
    return PayoutPage(items=[PayoutOut.of(p) for p in page], next_cursor=next_cursor)
