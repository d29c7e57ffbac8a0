"""What payments tell the fan."""

from __future__ import annotations

import uuid
from typing import Any

from backend.notifications.service import notify, notify_with
from backend.outbox.transaction import Transaction
from backend.payments.models import Purchase
from backend.wallet.models import Entry


async def purchase_credited(purchase: Purchase, tx: Transaction) -> None:
    """Stored with the credit itself, so a credited purchase always has its notice."""
    await notify_with(tx, purchase.user_id, "purchase", **_credited(purchase))


async def purchase_credited_later(purchase_id: uuid.UUID) -> None:
    """For credit-notice jobs queued before notices were stored with the credit."""
    purchase = await Purchase.get_or_none(id=purchase_id)
    if purchase is None or purchase.paid_at is None:
        return
    await notify(purchase.user_id, "purchase", **_credited(purchase))


def _credited(purchase: Purchase) -> dict[str, Any]:
    """The credit notice's data and dedupe key: one notice per purchase, however sent."""
    data = {"tokens": purchase.tokens, "purchase_id": str(purchase.id)}
    return {"data": data, "dedupe_key": f"purchase:{purchase.id}"}


async def tokens_taken_back(movement_id: int) -> None:
    """Tell the fan that a refund or a dispute took tokens back."""
    for entry in await Entry.filter(movement_id=movement_id).prefetch_related("wallet"):
        owner_id = entry.wallet.owner_id
        if owner_id is not None:
            data = {"tokens": -entry.amount, "purchase_id": entry.reference}
            await notify(owner_id, "refund", data, dedupe_key=f"taken-back:{movement_id}")
