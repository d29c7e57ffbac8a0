"""What Stripe's Connect and transfer events do to payout accounts and payouts.

They arrive through the same inbox as payment events (exactly once each, in any order):
`account.updated` on the Connect endpoint, `payout.paid` / `payout.failed` about the bank
payout of a connected account (they carry `account`), `transfer.reversed` on the platform
endpoint. A payout is found by the `payout_id` Digis put in the metadata of the transfer
and of the bank payout, so an event that overtakes the job that recorded their ids still
finds it. Each handler locks the payout row and records its fact (see `lifecycle`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from backend.outbox.transaction import Transaction
from backend.payouts import accounts, lifecycle
from backend.payouts.models import Payout

NOT_OURS = "ignored: not a Digis payout"


async def account_updated(event: dict[str, Any], tx: Transaction) -> str:
    account = event["data"]["object"]
    if not isinstance(account, dict):
        return "ignored: no account"
    reported_at = datetime.fromtimestamp(int(event["created"]), UTC)
    return await accounts.apply_update(account, reported_at, tx)


async def payout_paid(event: dict[str, Any], tx: Transaction) -> str:
    payout = await _payout_of(event["data"]["object"], id_field="stripe_payout_id")
    if payout is None:
        return NOT_OURS
    return await lifecycle.paid(payout, tx)


async def payout_failed(event: dict[str, Any], tx: Transaction) -> str:
    bank_payout = event["data"]["object"]
    payout = await _payout_of(bank_payout, id_field="stripe_payout_id")
    if payout is None:
        return NOT_OURS
    code = bank_payout.get("failure_code")
    reason = bank_payout.get("failure_message") or "the bank could not take the payment"
    message = (
        f"Your bank payout failed: {reason}. Your tokens are back in your balance; update your "
        "bank details in your payout account, then request the payout again."
    )
    return await lifecycle.failed(payout, code, message, tx)


async def transfer_reversed(event: dict[str, Any], tx: Transaction) -> str:
    payout = await _payout_of(event["data"]["object"], id_field="transfer_id")
    if payout is None:
        return NOT_OURS
    return await lifecycle.reversed_transfer(payout, tx)


async def _payout_of(stripe_object: Any, *, id_field: str) -> Payout | None:
    """The payout an object is about, locked; by our metadata, else by its Stripe id."""
    if not isinstance(stripe_object, dict):
        return None
    metadata = stripe_object.get("metadata")
    reference = metadata.get("payout_id") if isinstance(metadata, dict) else None
    if isinstance(reference, str):
        try:
            return await lifecycle.locked(uuid.UUID(reference))
        except ValueError:
            return None
    stripe_id = stripe_object.get("id")
    if not isinstance(stripe_id, str):
        return None
    found: Payout | None = await Payout.filter(**{id_field: stripe_id}).select_for_update().first()
    return found


HANDLERS: dict[str, Callable[[dict[str, Any], Transaction], Awaitable[str]]] = {
    "account.updated": account_updated,
    "payout.paid": payout_paid,
    "payout.failed": payout_failed,
    "transfer.reversed": transfer_reversed,
}
