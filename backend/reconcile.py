"""Every money invariant of Digis in one report: the wallet's checks and those of the
domains that move tokens for their own reasons (payouts, unlocks). `digis ledger reconcile`."""

from __future__ import annotations

from backend.payouts.reconcile import check_payouts
from backend.posts.reconcile import check_unlocks
from backend.wallet.reconcile import Report, reconcile


async def reconcile_all() -> Report:
    return await reconcile(check_payouts, check_unlocks)
