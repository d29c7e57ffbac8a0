"""What creators are told about their payouts (run by notification jobs)."""

from __future__ import annotations

import uuid

from backend.notifications.service import notify
from backend.payouts.models import Payout, PayoutAccount, PayoutStatus

KINDS = {
    PayoutStatus.PAID: "payout_paid",
    PayoutStatus.FAILED: "payout_failed",
    PayoutStatus.REVERSED: "payout_failed",
}


async def payout_changed(payout_id: uuid.UUID, status: str) -> None:
    """Tell the creator their payout was paid, or failed and what to do about it."""
    payout = await Payout.get_or_none(id=payout_id)
    kind = KINDS.get(PayoutStatus(status))
    if payout is None or kind is None:
        return
    data = {
        "payout_id": str(payout.id),
        "tokens": payout.tokens,
        "amount_cents": payout.amount_cents,
        "currency": payout.currency,
        "status": status,
        "message": payout.failure_message if kind == "payout_failed" else None,
    }
    await notify(payout.creator_id, kind, data, dedupe_key=f"payout:{payout.id}:{kind}")


async def account_needs_attention(user_id: uuid.UUID) -> None:
    """Stripe stopped payouts until the creator gives it more (their requirements)."""
    account = await PayoutAccount.get_or_none(user_id=user_id)
    if account is None:
        return
    data = {
        "state": account.state.value,
        "requirements_due": list(account.requirements_due),
        "message": "Stripe needs more from you before it pays out: finish setting up payouts.",
    }
    reported = account.reported_at.isoformat() if account.reported_at else "-"
    await notify(
        user_id, "payout_account_attention", data, dedupe_key=f"payout_account:{user_id}:{reported}"
    )
