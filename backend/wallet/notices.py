"""What the wallet tells people (run by notification jobs)."""

from __future__ import annotations

import uuid

from backend.notifications.schemas import actor
from backend.notifications.service import notify
from backend.wallet.models import Tip


async def tip_received(tip_id: uuid.UUID) -> None:
    """Tell the creator who tipped them, how much, and what they said."""
    tip = await Tip.get_or_none(id=tip_id).prefetch_related("fan")
    if tip is None:
        return
    data = {
        "from": {"handle": tip.fan.handle, "display_name": tip.fan.display_name},
        "actor": actor(tip.fan),
        "amount": tip.amount,
        "message": tip.message,
    }
    await notify(tip.creator_id, "tip", data, dedupe_key=f"tip:{tip.id}")
