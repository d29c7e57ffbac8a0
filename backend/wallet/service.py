"""Wallets: balances, entries, and the movements other domains make (tips, purchases).

Each function that moves tokens runs in the caller's transaction and posts one movement
through `ledger.post`: the two entries, the two balances, once per key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from backend.http.errors import field_error
from backend.http.pagination import PageQuery, decode_cursor, encode_cursor
from backend.wallet import ledger
from backend.wallet.ledger import Leg, Posted
from backend.wallet.models import Entry, EntryKind, MovementKind, Wallet
from backend.wallet.schemas import EntryOut, EntryPage, WalletOut

MAX_ID = 2**63 - 1

# A purchase credit and its reversals, as the buyer's entry kind.
INTO_WALLET = {
    MovementKind.PURCHASE: EntryKind.PURCHASE,
    MovementKind.DISPUTE_WON: EntryKind.DISPUTE_WON,
}
OUT_OF_WALLET = {MovementKind.REFUND: EntryKind.REFUND, MovementKind.DISPUTE: EntryKind.DISPUTE}
# A transfer between two users, as each side's entry kind.
BETWEEN_USERS = {
    MovementKind.TIP: (EntryKind.TIP_SENT, EntryKind.TIP_RECEIVED),
    MovementKind.UNLOCK: (EntryKind.UNLOCK_SENT, EntryKind.UNLOCK_RECEIVED),
}


class AlreadyTransferred(ValueError):
    """A transfer with this key was posted before (by a concurrent request, say)."""


@dataclass(frozen=True)
class Transfer:
    movement_id: int
    sender_balance: int


async def transfer_tokens(
    sender_id: uuid.UUID,
    recipient_id: uuid.UUID,
    amount: int,
    *,
    key: str,
    reference: str,
    sent: str,
    received: str,
    kind: MovementKind = MovementKind.TIP,
) -> Transfer:
    """Move tokens between two users (a tip, an unlock); a 409 `insufficient_balance` when
    the sender's balance cannot cover it. `sent`/`received` describe it to each side."""
    sent_kind, received_kind = BETWEEN_USERS[kind]
    sender = await ledger.user_wallet(sender_id)
    recipient = await ledger.user_wallet(recipient_id)
    posted = await ledger.post(
        kind,
        key,
        [
            Leg(sender, -amount, sent_kind, sent, reference, must_cover=True),
            Leg(recipient, amount, received_kind, received, reference),
        ],
    )
    if posted is None:
        raise AlreadyTransferred(f"transfer {key} was already posted")
    return Transfer(posted.movement_id, posted.balances[sender])


async def pay_for_unlock(
    fan_id: uuid.UUID, creator_id: uuid.UUID, price: int, *, key: str, reference: str,
    sent: str, received: str,
) -> Transfer:  # fmt: skip
    """A fan pays a creator for a locked post: a transfer of the unlock kind."""
    return await transfer_tokens(
        fan_id, creator_id, price, key=key, reference=reference, sent=sent, received=received,
        kind=MovementKind.UNLOCK,
    )  # fmt: skip


async def credit_from_platform(
    kind: MovementKind,
    user_id: uuid.UUID,
    tokens: int,
    *,
    key: str,
    purchase_id: uuid.UUID,
    description: str,
) -> Posted | None:
    """Give a user tokens from the platform (a paid purchase, a won dispute); None when
    `key` was already posted."""
    return await _with_platform(
        kind, user_id, tokens, INTO_WALLET[kind], key=key, purchase_id=purchase_id,
        description=description,
    )  # fmt: skip


async def debit_to_platform(
    kind: MovementKind,
    user_id: uuid.UUID,
    tokens: int,
    *,
    key: str,
    purchase_id: uuid.UUID,
    description: str,
) -> Posted | None:
    """Take tokens back for a refund or a dispute; the balance may go below zero (the fan
    then owes tokens and cannot spend until it is positive again)."""
    return await _with_platform(
        kind, user_id, -tokens, OUT_OF_WALLET[kind], key=key, purchase_id=purchase_id,
        description=description,
    )  # fmt: skip


async def _with_platform(
    kind: MovementKind,
    user_id: uuid.UUID,
    amount: int,
    entry_kind: EntryKind,
    *,
    key: str,
    purchase_id: uuid.UUID,
    description: str,
) -> Posted | None:
    user = await ledger.user_wallet(user_id)
    platform = await ledger.platform_wallet()
    reference = str(purchase_id)
    legs = [
        Leg(user, amount, entry_kind, description, reference),
        Leg(platform, -amount, entry_kind, description, reference),
    ]
    return await ledger.post(kind, key, legs, purchase_id=purchase_id)


async def pay_out(creator_id: uuid.UUID, tokens: int, *, payout_id: uuid.UUID) -> Posted:
    """Take a creator's tokens into a payout (the payouts wallet holds them while the money
    is on its way); a 409 `insufficient_balance` if the balance cannot cover them."""
    creator = await ledger.user_wallet(creator_id)
    payouts = await ledger.payouts_wallet()
    reference, description = str(payout_id), f"Payout of {tokens} tokens"
    posted = await ledger.post(
        MovementKind.PAYOUT,
        f"payout:{payout_id}",
        [
            Leg(creator, -tokens, EntryKind.PAYOUT, description, reference, must_cover=True),
            Leg(payouts, tokens, EntryKind.PAYOUT, description, reference),
        ],
    )
    if posted is None:
        raise ValueError(f"payout {payout_id} was already posted")
    return posted


async def return_payout(
    creator_id: uuid.UUID, tokens: int, *, payout_id: uuid.UUID
) -> Posted | None:
    """Give a failed or reversed payout's tokens back to its creator; None when they were
    already given back (once per payout, whatever reports the failure)."""
    creator = await ledger.user_wallet(creator_id)
    payouts = await ledger.payouts_wallet()
    reference, description = str(payout_id), f"Payout of {tokens} tokens returned"
    return await ledger.post(
        MovementKind.PAYOUT_RETURN,
        f"payout_return:{payout_id}",
        [
            Leg(payouts, -tokens, EntryKind.PAYOUT_RETURNED, description, reference),
            Leg(creator, tokens, EntryKind.PAYOUT_RETURNED, description, reference),
        ],
    )


async def wallet_of(user_id: uuid.UUID) -> WalletOut:
    return WalletOut(balance=await ledger.balance_of(user_id))


async def entries_page(user_id: uuid.UUID, query: PageQuery) -> EntryPage:
    """The user's entries, newest first (keyset on the id, which follows the ledger's
    order for each wallet)."""
    wallet = await Wallet.get_or_none(owner_id=user_id)
    if wallet is None:
        return EntryPage(items=[])
    rows = Entry.filter(wallet_id=wallet.id)
    after = decode_cursor(query.cursor, 1)
    if after is not None:
        rows = rows.filter(id__lt=_cursor_id(after[0]))
    found = await rows.order_by("-id").limit(query.limit + 1)
    page = found[: query.limit]
    next_cursor = encode_cursor(page[-1].id) if len(found) > query.limit else None
    return EntryPage(items=[EntryOut.model_validate(row) for row in page], next_cursor=next_cursor)


def _cursor_id(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    raise field_error("cursor", "The cursor is not valid; start again from the first page.")
