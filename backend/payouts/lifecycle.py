"""What happens to a payout after it was requested: transferred, paid, failed, reversed.

Each function runs in the caller's transaction with the payout row locked, records one
fact as Stripe reported it, and derives the status from all of them, so that Stripe's
events (which arrive in any order, and more than once) end in the same place. A failed or
reversed payout gives its tokens back exactly once: the return is a ledger movement keyed
by the payout.
"""

from __future__ import annotations

import uuid

from tortoise import timezone

from backend.outbox.transaction import Transaction
from backend.payouts.models import Payout, PayoutStatus
from backend.wallet.service import return_payout

NOTIFY_PAYOUT_CHANGED = "notifications.payout_changed"
FAILURE_MESSAGE_LIMIT = 500


def status_of(payout: Payout) -> PayoutStatus:
    if payout.reversed_at is not None:
        return PayoutStatus.REVERSED
    if payout.failed_at is not None:
        return PayoutStatus.FAILED
    if payout.paid_at is not None:
        return PayoutStatus.PAID
    if payout.transfer_id is not None:
        return PayoutStatus.IN_TRANSIT
    return PayoutStatus.REQUESTED


def is_over(payout: Payout) -> bool:
    """Failed or reversed: nothing more is sent to Stripe for it."""
    return payout.failed_at is not None or payout.reversed_at is not None


async def locked(payout_id: uuid.UUID) -> Payout | None:
    payout: Payout | None = await Payout.filter(id=payout_id).select_for_update().first()
    return payout


async def save(payout: Payout, tx: Transaction) -> None:
    """Store the payout with its derived status; a new status is told to its creator."""
    before = payout.status
    payout.status = status_of(payout)
    await payout.save()
    if payout.status != before and payout.status != PayoutStatus.IN_TRANSIT:
        await tx.enqueue(NOTIFY_PAYOUT_CHANGED, str(payout.id), payout.status.value)


async def transferred(payout: Payout, transfer_id: str, tx: Transaction) -> None:
    payout.transfer_id = payout.transfer_id or transfer_id
    payout.transferred_at = payout.transferred_at or timezone.now()
    await save(payout, tx)


async def sent_to_bank(payout: Payout, stripe_payout_id: str, tx: Transaction) -> None:
    payout.stripe_payout_id = payout.stripe_payout_id or stripe_payout_id
    await save(payout, tx)


async def paid(payout: Payout, tx: Transaction) -> str:
    if is_over(payout):
        return f"payout already {status_of(payout).value}"
    payout.paid_at = payout.paid_at or timezone.now()
    await save(payout, tx)
    return "payout paid"


async def failed(payout: Payout, code: str | None, message: str | None, tx: Transaction) -> str:
    """The transfer was refused or the bank payout failed (even after it was paid)."""
    if payout.failed_at is None:
        payout.failed_at = timezone.now()
        payout.failure_code = (code or "failed")[:100]
        payout.failure_message = (message or "The payout could not be made.")[
            :FAILURE_MESSAGE_LIMIT
        ]
    return await _give_back(payout, tx, "payout failed")


async def reversed_transfer(payout: Payout, tx: Transaction) -> str:
    payout.reversed_at = payout.reversed_at or timezone.now()
    return await _give_back(payout, tx, "transfer reversed")


async def _give_back(payout: Payout, tx: Transaction, what: str) -> str:
    if payout.return_movement_id is None:
        posted = await return_payout(payout.creator_id, payout.tokens, payout_id=payout.id)
        if posted is not None:
            payout.return_movement_id = posted.movement_id
    await save(payout, tx)
    return f"{what}: {payout.tokens} tokens returned"
