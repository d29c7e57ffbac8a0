"""What a purchase's payment does to the ledger: credit once, take back for refunds and
disputes, give back for a won dispute.

Every function here runs in the transaction of the event being applied, with the purchase
row locked, and is safe to call again with the same facts (the ledger keys and the stored
facts make a second call change nothing). The purchase's status is derived from its facts,
so the order in which Stripe's events arrive does not matter.
"""

from __future__ import annotations

from tortoise import timezone

from backend.outbox.transaction import Transaction
from backend.payments import notices
from backend.payments.models import DisputeState, Purchase, PurchaseStatus
from backend.wallet.models import MovementKind
from backend.wallet.service import credit_from_platform, debit_to_platform

NOTIFY_CREDITED = "notifications.purchase_credited"  # jobs of older releases only
NOTIFY_TAKEN_BACK = "notifications.tokens_taken_back"


def status_of(purchase: Purchase) -> PurchaseStatus:
    if purchase.paid_at is None:
        if purchase.payment_failed:
            return PurchaseStatus.FAILED
        return PurchaseStatus.EXPIRED if purchase.session_expired else PurchaseStatus.PENDING
    if purchase.dispute_state in (DisputeState.OPEN, DisputeState.LOST):
        return PurchaseStatus.DISPUTED
    if purchase.amount_refunded_cents >= purchase.amount_cents:
        return PurchaseStatus.REFUNDED
    if purchase.amount_refunded_cents > 0:
        return PurchaseStatus.PARTIALLY_REFUNDED
    return PurchaseStatus.PAID


async def save(purchase: Purchase) -> None:
    purchase.status = status_of(purchase)
    await purchase.save()


def tokens_for(purchase: Purchase, cents: int) -> int:
    """The tokens `cents` of the purchase's price bought (rounded down; all of them for
    the whole price)."""
    if cents >= purchase.amount_cents:
        return purchase.tokens
    return purchase.tokens * max(0, cents) // purchase.amount_cents


def _still_credited(purchase: Purchase) -> int:
    return purchase.tokens - purchase.tokens_refunded - purchase.tokens_disputed


async def credit(purchase: Purchase, payment_intent_id: str | None, tx: Transaction) -> str:
    """Credit the purchase's tokens, once per payment whatever event reports it."""
    if purchase.paid_at is not None:
        await save(purchase)  # keep what the event taught (its payment intent, its charge)
        return "already credited"
    posted = await credit_from_platform(
        MovementKind.PURCHASE,
        purchase.user_id,
        purchase.tokens,
        key=f"credit:{payment_intent_id or purchase.id}",
        purchase_id=purchase.id,
        description=f"Bought {purchase.tokens} tokens",
    )
    if posted is None:  # unreachable while paid_at is set in the same transaction
        return "already credited"
    purchase.paid_at = timezone.now()
    purchase.failure_reason = None
    await save(purchase)
    await notices.purchase_credited(purchase, tx)
    return f"credited {purchase.tokens} tokens"


async def refund(purchase: Purchase, amount_refunded_cents: int, tx: Transaction) -> str:
    """Bring the tokens taken back for refunds up to what `amount_refunded_cents` (Stripe's
    cumulative total) bought; an older total arriving late changes nothing."""
    cents = max(purchase.amount_refunded_cents, amount_refunded_cents)
    target = min(tokens_for(purchase, cents), purchase.tokens - purchase.tokens_disputed)
    owed = target - purchase.tokens_refunded
    purchase.amount_refunded_cents = cents
    if owed > 0:
        await _take_back(
            purchase, MovementKind.REFUND, owed, f"refund:{purchase.id}:{target}", tx,
            description=f"Refund of {owed} tokens",
        )  # fmt: skip
        purchase.tokens_refunded = target
    await save(purchase)
    return f"refund: took back {max(owed, 0)} tokens"


async def open_dispute(
    purchase: Purchase, dispute_id: str, amount_cents: int, tx: Transaction
) -> str:
    """A chargeback: take back what the disputed amount bought (what is still credited)."""
    if purchase.dispute_state is not None:
        return f"dispute already {purchase.dispute_state.value}"
    await _hold_for_dispute(purchase, dispute_id, amount_cents, tx)
    purchase.dispute_state = DisputeState.OPEN
    await save(purchase)
    return f"dispute opened: took back {purchase.tokens_disputed} tokens"


async def close_dispute(
    purchase: Purchase, dispute_id: str, amount_cents: int, won: bool, tx: Transaction
) -> str:
    """A lost dispute keeps the tokens taken back; a won one gives them back. The closing
    event may arrive before the opening one: then a won dispute never takes anything."""
    if purchase.dispute_state in (DisputeState.WON, DisputeState.LOST):
        return f"dispute already {purchase.dispute_state.value}"
    if purchase.dispute_state is None:
        purchase.dispute_id = dispute_id
        if not won:
            await _hold_for_dispute(purchase, dispute_id, amount_cents, tx)
    elif won and purchase.tokens_disputed > 0:
        await credit_from_platform(
            MovementKind.DISPUTE_WON,
            purchase.user_id,
            purchase.tokens_disputed,
            key=f"dispute_won:{dispute_id}",
            purchase_id=purchase.id,
            description=f"Dispute won: {purchase.tokens_disputed} tokens returned",
        )
        purchase.tokens_disputed = 0
    purchase.dispute_state = DisputeState.WON if won else DisputeState.LOST
    await save(purchase)
    return f"dispute {purchase.dispute_state.value}"


async def _hold_for_dispute(
    purchase: Purchase, dispute_id: str, amount_cents: int, tx: Transaction
) -> None:
    # Counted on top of what was refunded, so that disputing all that is left takes back
    # all the tokens that are left (no rounding remainder).
    covered = tokens_for(purchase, purchase.amount_refunded_cents + amount_cents)
    held = min(covered - purchase.tokens_refunded, _still_credited(purchase))
    purchase.dispute_id = dispute_id
    if held > 0:
        await _take_back(
            purchase, MovementKind.DISPUTE, held, f"dispute:{dispute_id}", tx,
            description=f"Disputed payment: {held} tokens taken back",
        )  # fmt: skip
        purchase.tokens_disputed = held


async def _take_back(
    purchase: Purchase,
    kind: MovementKind,
    tokens: int,
    key: str,
    tx: Transaction,
    *,
    description: str,
) -> None:
    posted = await debit_to_platform(
        kind, purchase.user_id, tokens, key=key, purchase_id=purchase.id, description=description
    )
    if posted is not None:
        await tx.enqueue(NOTIFY_TAKEN_BACK, posted.movement_id)
