"""What a creator has earned, read from the ledger.

Earnings are the tokens other users gave a creator (`EARNING_ENTRY_KINDS`: tips and
unlocks received). Each is on hold for the hold period after it arrived, then released.
What can be paid out is what was released and not yet paid out, and never more than the
wallet holds (a creator who spent earned tokens on tips cannot also cash them):

    available = max(0, min(balance, released - (paid out - returned)))

A fan's later refund or dispute takes tokens back from the fan, never from the creator,
so earnings never change after the fact. Every function takes `now` from its caller, so
a test controls the clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tortoise import connections

from backend.wallet.models import EARNING_ENTRY_KINDS, EntryKind

EARNING_KINDS = [kind.value for kind in EARNING_ENTRY_KINDS]

TOTALS = """
SELECT w."balance",
       COALESCE(SUM(e."amount") FILTER (WHERE e."kind" = ANY($2::text[])), 0) AS "lifetime",
       COALESCE(SUM(e."amount") FILTER (
           WHERE e."kind" = ANY($2::text[]) AND e."created_at" > $3), 0) AS "on_hold",
       MIN(e."created_at") FILTER (
           WHERE e."kind" = ANY($2::text[]) AND e."created_at" > $3) AS "oldest_on_hold",
       COALESCE(-SUM(e."amount") FILTER (WHERE e."kind" = $4), 0) AS "paid_out",
       COALESCE(SUM(e."amount") FILTER (WHERE e."kind" = $5), 0) AS "returned"
FROM "wallets" w LEFT JOIN "ledger_entries" e ON e."wallet_id" = w."id"
WHERE w."owner_id" = $1
GROUP BY w."id"
"""
PER_DAY = """
SELECT (e."created_at" AT TIME ZONE 'UTC')::date AS "day", SUM(e."amount") AS "tokens"
FROM "ledger_entries" e JOIN "wallets" w ON w."id" = e."wallet_id"
WHERE w."owner_id" = $1 AND e."kind" = ANY($2::text[]) AND e."created_at" >= $3
GROUP BY 1
"""
# Who gave: the other side of each earning's movement.
SUPPORTERS = """
SELECT giver."owner_id" AS "user_id", SUM(received."amount") AS "tokens",
       COUNT(*) AS "times", MAX(received."created_at") AS "last_at"
FROM "ledger_entries" received
JOIN "wallets" mine ON mine."id" = received."wallet_id" AND mine."owner_id" = $1
JOIN "ledger_entries" given
    ON given."movement_id" = received."movement_id" AND given."amount" < 0
JOIN "wallets" giver ON giver."id" = given."wallet_id" AND giver."owner_id" IS NOT NULL
WHERE received."kind" = ANY($2::text[])
GROUP BY giver."owner_id"
ORDER BY "tokens" DESC, "last_at" DESC
LIMIT $3
"""


@dataclass(frozen=True)
class Earnings:
    balance: int
    lifetime: int
    on_hold: int
    paid_out: int  # taken into payouts, less what failed payouts gave back
    next_release_at: datetime | None  # when the oldest tokens on hold are released

    @property
    def released(self) -> int:
        return self.lifetime - self.on_hold

    @property
    def available(self) -> int:
        return max(0, min(self.balance, self.released - self.paid_out))


async def earnings_of(user_id: uuid.UUID, *, now: datetime, hold: timedelta) -> Earnings:
    rows = await connections.get("default").execute_query_dict(
        TOTALS,
        [
            user_id,
            EARNING_KINDS,
            now - hold,
            EntryKind.PAYOUT.value,
            EntryKind.PAYOUT_RETURNED.value,
        ],
    )
    if not rows:
        return Earnings(0, 0, 0, 0, None)
    row = rows[0]
    oldest: datetime | None = row["oldest_on_hold"]
    return Earnings(
        balance=int(row["balance"]),
        lifetime=int(row["lifetime"]),
        on_hold=int(row["on_hold"]),
        paid_out=int(row["paid_out"]) - int(row["returned"]),
        next_release_at=oldest + hold if oldest is not None else None,
    )


async def earned_per_day(user_id: uuid.UUID, *, today: date, days: int) -> list[tuple[date, int]]:
    """Tokens received on each of the last `days` days (UTC), today included, oldest first;
    days without any are there with 0."""
    first = today - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    rows = await connections.get("default").execute_query_dict(
        PER_DAY, [user_id, EARNING_KINDS, since]
    )
    earned = {row["day"]: int(row["tokens"]) for row in rows}
    return [(day, earned.get(day, 0)) for day in (first + timedelta(n) for n in range(days))]


@dataclass(frozen=True)
class Supporter:
    user_id: uuid.UUID
    tokens: int
    times: int
    last_at: datetime


async def top_supporters(user_id: uuid.UUID, limit: int) -> list[Supporter]:
    rows = await connections.get("default").execute_query_dict(
        SUPPORTERS, [user_id, EARNING_KINDS, limit]
    )
    return [
        Supporter(row["user_id"], int(row["tokens"]), int(row["times"]), row["last_at"])
        for row in rows
    ]
