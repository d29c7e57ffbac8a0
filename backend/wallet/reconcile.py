"""Reconciliation: check every money invariant over the whole database.

- every wallet's stored balance equals the sum of its entries;
- every movement has at least two entries and they sum to zero;
- no spend (a tip or an unlock sent, a payout taken) ever took its wallet below zero;
- every tip moved exactly its amount from the fan to the creator;
- a paid purchase is credited exactly once, with its tokens, to its buyer; an unpaid one
  never is;
- refunds and disputes never take back more than was credited, and agree with what the
  purchase records.

All checks read one snapshot (a repeatable-read transaction), so a live database with
money moving gives no false alarm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from tortoise.transactions import in_transaction


@dataclass(frozen=True)
class Violation:
    check: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Report:
    counts: dict[str, int]
    violations: list[Violation]

    @property
    def clean(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "counts": self.counts,
            "violations": [asdict(v) for v in self.violations],
        }


WALLET_BALANCES = """
SELECT w."id", w."balance", COALESCE(SUM(e."amount"), 0) AS "entries"
FROM "wallets" w LEFT JOIN "ledger_entries" e ON e."wallet_id" = w."id"
GROUP BY w."id"
HAVING w."balance" <> COALESCE(SUM(e."amount"), 0)
"""

UNBALANCED_MOVEMENTS = """
SELECT m."id", m."kind", m."key",
       COUNT(e."id") AS "entries", COALESCE(SUM(e."amount"), 0) AS "total"
FROM "ledger_movements" m LEFT JOIN "ledger_entries" e ON e."movement_id" = m."id"
GROUP BY m."id"
HAVING COUNT(e."id") < 2 OR COALESCE(SUM(e."amount"), 0) <> 0
"""

# Entry ids follow the order in which each wallet's balance changed (entries are written
# while the wallet row is locked), so a running sum in id order replays the balance.
OVERDRAWN_SPENDS = """
SELECT "id", "wallet_id", "running" FROM (
    SELECT "id", "wallet_id", "kind",
           SUM("amount") OVER (PARTITION BY "wallet_id" ORDER BY "id") AS "running"
    FROM "ledger_entries"
) AS replay
WHERE "kind" IN ('tip_sent', 'unlock_sent', 'payout') AND "running" < 0
"""

TIPS = """
SELECT t."id", t."amount",
       COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = t."fan_id"), 0) AS "sent",
       COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = t."creator_id"), 0) AS "received",
       m."kind"
FROM "tips" t
JOIN "ledger_movements" m ON m."id" = t."movement_id"
LEFT JOIN "ledger_entries" e ON e."movement_id" = m."id"
LEFT JOIN "wallets" w ON w."id" = e."wallet_id"
GROUP BY t."id", m."kind"
HAVING m."kind" <> 'tip'
    OR COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = t."fan_id"), 0) <> -t."amount"
    OR COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = t."creator_id"), 0) <> t."amount"
"""

# The movements of the wallet's own kinds (tips, and a purchase's credit and take-backs);
# the domains that move tokens for other reasons (payouts, unlocks) check theirs.
ORPHAN_MOVEMENTS = """
SELECT m."id", m."kind", m."key" FROM "ledger_movements" m
LEFT JOIN "tips" t ON t."movement_id" = m."id"
WHERE (m."kind" = 'tip' AND t."id" IS NULL)
   OR (m."kind" IN ('purchase', 'refund', 'dispute', 'dispute_won') AND m."purchase_id" IS NULL)
"""

# Per purchase: what the ledger gave and took back on the buyer's wallet.
PURCHASES = """
SELECT p."id", p."tokens", p."paid_at" IS NOT NULL AS "paid",
       p."tokens_refunded", p."tokens_disputed",
       COUNT(DISTINCT m."id") FILTER (WHERE m."kind" = 'purchase') AS "credits",
       COALESCE(SUM(e."amount") FILTER (WHERE m."kind" = 'purchase'), 0) AS "credited",
       COALESCE(-SUM(e."amount") FILTER (WHERE m."kind" = 'refund'), 0) AS "refunded",
       COALESCE(-SUM(e."amount") FILTER (WHERE m."kind" IN ('dispute', 'dispute_won')), 0)
           AS "disputed"
FROM "purchases" p
LEFT JOIN "ledger_movements" m ON m."purchase_id" = p."id"
LEFT JOIN "wallets" w ON w."owner_id" = p."user_id"
LEFT JOIN "ledger_entries" e ON e."movement_id" = m."id" AND e."wallet_id" = w."id"
GROUP BY p."id"
"""

COUNTS = """
SELECT (SELECT COUNT(*) FROM "wallets") AS "wallets",
       (SELECT COUNT(*) FROM "ledger_movements") AS "movements",
       (SELECT COUNT(*) FROM "ledger_entries") AS "entries",
       (SELECT COUNT(*) FROM "purchases") AS "purchases",
       (SELECT COUNT(*) FROM "tips") AS "tips"
"""


Query = Callable[[str], Awaitable[list[dict[str, Any]]]]
# A domain's own money checks, run in the same snapshot: what they find, and counts.
Check = Callable[[Query], Awaitable[tuple[list[Violation], dict[str, int]]]]


async def reconcile(*checks: Check) -> Report:
    """The wallet's checks, then each of `checks` (other domains' own), in one snapshot."""
    async with in_transaction() as connection:
        await connection.execute_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

        async def query(sql: str) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = await connection.execute_query_dict(sql)
            return rows

        counts = {name: int(value) for name, value in (await query(COUNTS))[0].items()}
        violations = [
            *[_wallet(row) for row in await query(WALLET_BALANCES)],
            *[_movement(row) for row in await query(UNBALANCED_MOVEMENTS)],
            *[_overdrawn(row) for row in await query(OVERDRAWN_SPENDS)],
            *[_tip(row) for row in await query(TIPS)],
            *[_orphan(row) for row in await query(ORPHAN_MOVEMENTS)],
            *[v for row in await query(PURCHASES) for v in _purchase(row)],
        ]
        for check in checks:
            found, counted = await check(query)
            violations += found
            counts.update(counted)
    return Report(counts, violations)


def _wallet(row: dict[str, Any]) -> Violation:
    return Violation(
        "wallet_balance",
        f"wallet {row['id']}",
        f"stored balance {row['balance']} but its entries sum to {row['entries']}",
    )


def _movement(row: dict[str, Any]) -> Violation:
    return Violation(
        "movement_sum",
        f"movement {row['id']} ({row['kind']} {row['key']})",
        f"{row['entries']} entries summing to {row['total']} (needs 2 or more summing to 0)",
    )


def _overdrawn(row: dict[str, Any]) -> Violation:
    return Violation(
        "spend_below_zero",
        f"entry {row['id']}",
        f"a spend left wallet {row['wallet_id']} at {row['running']}",
    )


def _tip(row: dict[str, Any]) -> Violation:
    return Violation(
        "tip_transfer",
        f"tip {row['id']}",
        f"tip of {row['amount']}: fan side {row['sent']}, creator side {row['received']} "
        f"(movement kind {row['kind']})",
    )


def _orphan(row: dict[str, Any]) -> Violation:
    return Violation(
        "orphan_movement",
        f"movement {row['id']} ({row['kind']} {row['key']})",
        "belongs to no tip or purchase",
    )


def _purchase(row: dict[str, Any]) -> list[Violation]:
    subject = f"purchase {row['id']}"
    found: list[str] = []
    credits, credited, tokens = row["credits"], row["credited"], row["tokens"]
    if row["paid"] and (credits != 1 or credited != tokens):
        found.append(
            f"paid: credited {credits} time(s), {credited} tokens (expected once, {tokens})"
        )
    if not row["paid"] and credits:
        found.append(f"not paid but credited {credits} time(s), {credited} tokens")
    taken_back = row["refunded"] + row["disputed"]
    if taken_back > credited:
        found.append(f"took back {taken_back} tokens but credited {credited}")
    for kind in ("refunded", "disputed"):
        if row[kind] != row[f"tokens_{kind}"]:
            found.append(
                f"{kind} in the ledger: {row[kind]} tokens; "
                f"on the purchase: {row[f'tokens_{kind}']}"
            )
    return [Violation("purchase_credit", subject, detail) for detail in found]
