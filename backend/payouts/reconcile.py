"""The payouts' money invariants, checked by `digis ledger reconcile` with the wallet's:

- every payout has exactly one movement taking its tokens from its creator, and every
  payout movement belongs to a payout;
- a failed or reversed payout gave its tokens back exactly once; any other never did;
- the payouts wallet holds exactly the tokens of the payouts not given back;
- a payout with a transfer has its movement (no money sent without tokens taken).
"""

from __future__ import annotations

from typing import Any

from backend.wallet.models import PAYOUTS_WALLET
from backend.wallet.reconcile import Query, Violation

# Per payout: the creator's side of its movements.
PAYOUTS = """
SELECT p."id", p."tokens", p."status", p."transfer_id", p."movement_id",
       p."return_movement_id",
       COUNT(DISTINCT m."id") FILTER (WHERE m."kind" = 'payout') AS "taken",
       COALESCE(-SUM(e."amount") FILTER (WHERE m."kind" = 'payout'), 0) AS "tokens_taken",
       COUNT(DISTINCT m."id") FILTER (WHERE m."kind" = 'payout_return') AS "returns",
       COALESCE(SUM(e."amount") FILTER (WHERE m."kind" = 'payout_return'), 0)
           AS "tokens_returned"
FROM "payouts" p
LEFT JOIN "ledger_movements" m
    ON m."key" IN ('payout:' || p."id", 'payout_return:' || p."id")
LEFT JOIN "wallets" w ON w."owner_id" = p."creator_id"
LEFT JOIN "ledger_entries" e ON e."movement_id" = m."id" AND e."wallet_id" = w."id"
GROUP BY p."id"
"""
ORPHAN_MOVEMENTS = """
SELECT m."id", m."kind", m."key" FROM "ledger_movements" m
LEFT JOIN "payouts" p ON m."key" IN ('payout:' || p."id", 'payout_return:' || p."id")
WHERE m."kind" IN ('payout', 'payout_return') AND p."id" IS NULL
"""
HELD = f"""
SELECT COALESCE((SELECT "balance" FROM "wallets" WHERE "system_name" = '{PAYOUTS_WALLET}'), 0)
           AS "balance",
       COALESCE((SELECT SUM("tokens") FROM "payouts" WHERE "return_movement_id" IS NULL), 0)
           AS "outstanding",
       (SELECT COUNT(*) FROM "payouts") AS "payouts"
"""  # noqa: S608 - a constant


async def check_payouts(query: Query) -> tuple[list[Violation], dict[str, int]]:
    violations = [v for row in await query(PAYOUTS) for v in _payout(row)]
    violations += [
        Violation("orphan_movement", f"movement {r['id']} ({r['kind']} {r['key']})",
                  "belongs to no payout")
        for r in await query(ORPHAN_MOVEMENTS)
    ]  # fmt: skip
    held = (await query(HELD))[0]
    if held["balance"] != held["outstanding"]:
        violations.append(
            Violation(
                "payouts_wallet",
                PAYOUTS_WALLET,
                f"holds {held['balance']} tokens; payouts not given back hold "
                f"{held['outstanding']}",
            )
        )
    return violations, {"payouts": int(held["payouts"])}


def _payout(row: dict[str, Any]) -> list[Violation]:
    found = []
    if row["taken"] != 1 or row["tokens_taken"] != row["tokens"]:
        found.append(
            f"took {row['tokens_taken']} tokens in {row['taken']} movement(s); "
            f"expected {row['tokens']} in one"
        )
    given_back = row["status"] in ("failed", "reversed")
    expected_returns = 1 if given_back else 0
    if (
        row["returns"] != expected_returns
        or row["tokens_returned"] != row["tokens"] * expected_returns
    ):
        found.append(
            f"{row['status']}: gave back {row['tokens_returned']} tokens in "
            f"{row['returns']} movement(s)"
        )
    if given_back and row["return_movement_id"] is None:
        found.append(f"{row['status']} but no return recorded on the payout")
    return [Violation("payout", f"payout {row['id']}", detail) for detail in found]
