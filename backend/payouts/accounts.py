"""Creators' payout accounts: creating one (once), onboarding, and what Stripe reports.

The account's state is only ever what Stripe last said in `account.updated`; an event
older than the one the state came from changes nothing (Stripe sends events in no order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.http.errors import Forbidden
from backend.outbox.transaction import Transaction
from backend.payouts.connect import Connect
from backend.payouts.models import AccountState, PayoutAccount
from backend.payouts.schemas import OnboardingOut, PayoutAccountOut
from backend.settings import Settings

NOTIFY_ACCOUNT_ATTENTION = "notifications.payout_account_attention"


def require_creator(user: User) -> None:
    if user.role != Role.CREATOR:
        raise Forbidden("Only creators get paid out.", code="not_a_creator")


async def account_of(user: User) -> PayoutAccountOut:
    require_creator(user)
    return PayoutAccountOut.of(await PayoutAccount.get_or_none(user_id=user.id))


async def start_onboarding(settings: Settings, connect: Connect, user: User) -> OnboardingOut:
    """The creator's connected account (created on the first call only) and a fresh link
    to Stripe's onboarding, which returns to the web app's dashboard."""
    require_creator(user)
    account = await PayoutAccount.get_or_none(user_id=user.id)
    if account is None:
        account = await _create(settings, connect, user)
    back = f"{str(settings.frontend_url).rstrip('/')}/dashboard"
    url = await connect.onboarding_link(
        account.stripe_account_id,
        refresh_url=f"{back}?payouts=refresh",
        return_url=f"{back}?payouts=return",
    )
    return OnboardingOut(**PayoutAccountOut.of(account).model_dump(), onboarding_url=url)


async def _create(settings: Settings, connect: Connect, user: User) -> PayoutAccount:
    # The idempotency key is the creator's: concurrent or repeated calls get one account.
    stripe_id = await connect.create_account(
        user.id, email=user.email, country=settings.connect_country
    )
    try:
        return await PayoutAccount.create(user_id=user.id, stripe_account_id=stripe_id)
    except IntegrityError:  # a concurrent call stored it first
        return await PayoutAccount.get(user_id=user.id)


def state_from(account: dict[str, Any]) -> AccountState:
    """Stripe's Account object as Digis' three states."""
    if account.get("payouts_enabled"):
        return AccountState.ENABLED
    if account.get("details_submitted") or _requirements(account).get("disabled_reason"):
        return AccountState.RESTRICTED
    return AccountState.ONBOARDING


def _requirements(account: dict[str, Any]) -> dict[str, Any]:
    requirements = account.get("requirements")
    return requirements if isinstance(requirements, dict) else {}


async def apply_update(account: dict[str, Any], reported_at: datetime, tx: Transaction) -> str:
    """`account.updated`: store the state Stripe reports, unless a newer report is stored."""
    stored = await PayoutAccount.filter(stripe_account_id=account.get("id")).select_for_update()
    if not stored:
        return "ignored: not a Digis payout account"
    row = stored[0]
    if row.reported_at is not None and reported_at < row.reported_at:
        return "ignored: an older report"
    was = row.state
    requirements = _requirements(account)
    row.state = state_from(account)
    row.details_submitted = bool(account.get("details_submitted"))
    row.payouts_enabled = bool(account.get("payouts_enabled"))
    row.requirements_due = [str(item) for item in requirements.get("currently_due") or []]
    row.disabled_reason = requirements.get("disabled_reason")
    row.reported_at = reported_at
    await row.save()
    if was == AccountState.ENABLED and row.state != AccountState.ENABLED:
        await tx.enqueue(NOTIFY_ACCOUNT_ATTENTION, str(row.user_id))
    return f"payout account {row.state.value}"
