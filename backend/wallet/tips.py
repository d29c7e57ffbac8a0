"""Tips: a fan gives a creator tokens, atomically, once per request."""

from __future__ import annotations

import uuid
from datetime import datetime

from tortoise.expressions import Q

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.http.errors import NotFound, field_error
from backend.idempotency.keys import remember_reply
from backend.outbox.transaction import transaction
from backend.wallet.models import Tip
from backend.wallet.schemas import TipIn, TipOut
from backend.wallet.service import transfer_tokens

NOTIFY_TIP_RECEIVED = "notifications.tip_received"


async def send_tip(fan: User, data: TipIn) -> TipOut:
    creator = await _tippable(fan, data.creator)
    tip_id = uuid.uuid4()
    async with transaction() as tx:
        transfer = await transfer_tokens(
            fan.id,
            creator.id,
            data.amount,
            key=f"tip:{tip_id}",
            reference=str(tip_id),
            sent=f"Tip to @{creator.handle}",
            received=f"Tip from @{fan.handle}",
        )
        await Tip.create(
            id=tip_id,
            fan_id=fan.id,
            creator_id=creator.id,
            amount=data.amount,
            message=data.message,
            movement_id=transfer.movement_id,
        )
        await tx.enqueue(NOTIFY_TIP_RECEIVED, str(tip_id))
        receipt = TipOut(
            tip_id=tip_id,
            creator=creator.handle,
            amount=data.amount,
            balance=transfer.sender_balance,
        )
        await remember_reply(201, receipt)
    return receipt


async def _tippable(fan: User, handle: str) -> User:
    creator = await User.get_or_none(handle=handle)
    if creator is None:
        raise NotFound("There is no creator with this handle.")
    if creator.id == fan.id:
        raise field_error("creator", "You cannot tip yourself.")
    if creator.role != Role.CREATOR:
        raise field_error("creator", "Only creators can receive tips.")
    return creator


async def received(
    creator_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Tip]:
    """The creator's tips, newest first (keyset: strictly before `before`), with their fans."""
    rows = Tip.filter(creator_id=creator_id)
    if before is not None:
        created_at, tip_id = before
        rows = rows.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=tip_id))
    tips: list[Tip] = await rows.order_by("-created_at", "-id").limit(limit).prefetch_related("fan")
    return tips
