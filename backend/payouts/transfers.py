"""Sending a payout's money: a Transfer to the creator's connected account, then a payout
from that account to their bank (the `payouts.send_payout` job).

Each step's Stripe idempotency key is the payout's id, so however often the job runs (a
retry, a worker killed between the call and the commit) Stripe makes one transfer and one
bank payout. What Stripe answered is recorded with the payout row locked, so a job that
runs twice records once. A step Stripe refuses ends the payout `failed`, its tokens
returned; a bank payout refused after the transfer also takes the transfer back.
"""

from __future__ import annotations

import uuid

from loguru import logger

from backend.outbox.transaction import transaction
from backend.payouts import lifecycle
from backend.payouts.connect import Connect, Money, Refused
from backend.payouts.models import Payout

REFUSED_MESSAGE = (
    "Stripe refused the payout ({}). Your tokens are back in your balance; check your payout "
    "account, then request the payout again."
)


async def send_payout(connect: Connect, payout_id: uuid.UUID) -> str:
    payout = await Payout.get_or_none(id=payout_id)
    if payout is None or lifecycle.is_over(payout):
        return "nothing to send"
    money = Money(payout.amount_cents, payout.currency)
    if payout.transfer_id is None:
        try:
            transfer_id = await connect.transfer(payout.id, payout.stripe_account_id, money)
        except Refused as refusal:
            return await _refused(payout.id, refusal)
        payout = await _record(payout.id, transfer_id=transfer_id)
        if payout is None or lifecycle.is_over(payout):
            return "transferred, then over"
    if payout.stripe_payout_id is None:
        assert payout.transfer_id is not None
        try:
            bank_id = await connect.bank_payout(payout.id, payout.stripe_account_id, money)
        except Refused as refusal:
            await connect.reverse_transfer(payout.id, payout.transfer_id)
            return await _refused(payout.id, refusal)
        await _record(payout.id, bank_payout_id=bank_id)
    return "sent"


async def _record(
    payout_id: uuid.UUID, *, transfer_id: str | None = None, bank_payout_id: str | None = None
) -> Payout | None:
    async with transaction() as tx:
        payout = await lifecycle.locked(payout_id)
        if payout is None:
            return None
        if transfer_id is not None:
            await lifecycle.transferred(payout, transfer_id, tx)
        if bank_payout_id is not None:
            await lifecycle.sent_to_bank(payout, bank_payout_id, tx)
    return payout


async def _refused(payout_id: uuid.UUID, refusal: Refused) -> str:
    logger.warning("payout {} refused by Stripe: {} {}", payout_id, refusal.code, refusal.message)
    async with transaction() as tx:
        payout = await lifecycle.locked(payout_id)
        if payout is None:
            return "gone"
        return await lifecycle.failed(
            payout, refusal.code, REFUSED_MESSAGE.format(refusal.message), tx
        )
