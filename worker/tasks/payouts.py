"""Payout jobs: sending a payout's money through Stripe (`payouts` go on the default
queue), and telling creators what became of it (the notifications queue)."""

from __future__ import annotations

import uuid

from backend.payouts import accounts, connect, lifecycle, notices, transfers
from backend.payouts.service import SEND_PAYOUT
from backend.settings import get_settings
from worker.jobs import job


@job(SEND_PAYOUT)
async def send_payout(payout_id: str) -> None:
    client = connect.for_this_process(get_settings())
    await transfers.send_payout(client, uuid.UUID(payout_id))


@job(lifecycle.NOTIFY_PAYOUT_CHANGED)
async def payout_changed(payout_id: str, status: str) -> None:
    await notices.payout_changed(uuid.UUID(payout_id), status)


@job(accounts.NOTIFY_ACCOUNT_ATTENTION)
async def payout_account_attention(user_id: str) -> None:
    await notices.account_needs_attention(uuid.UUID(user_id))
