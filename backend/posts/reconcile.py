"""The unlocks' money invariants, checked by `digis ledger reconcile` with the wallet's:

- every unlock was paid by its own movement (`unlock:<post id>:<fan id>`), which took
  exactly the unlock's price from the fan and gave exactly that to the post's author;
- every unlock movement has that key shape. Its unlock row may be gone: deleting a post
  deletes its unlocks, while the movement stays in the ledger like every other.
"""

from __future__ import annotations

from typing import Any

from backend.wallet.reconcile import Query, Violation

# Per unlock: what its movement did on the fan's and on the author's wallet.
UNLOCKS = """
SELECT u."id", u."price", m."id" AS "movement", m."kind", m."key",
       'unlock:' || u."post_id" || ':' || u."fan_id" AS "expected_key",
       COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = u."fan_id"), 0) AS "fan_side",
       COALESCE(SUM(e."amount") FILTER (WHERE w."owner_id" = p."author_id"), 0)
           AS "author_side"
FROM "post_unlocks" u
JOIN "posts" p ON p."id" = u."post_id"
LEFT JOIN "ledger_movements" m ON m."id" = u."movement_id"
LEFT JOIN "ledger_entries" e ON e."movement_id" = m."id"
LEFT JOIN "wallets" w ON w."id" = e."wallet_id"
GROUP BY u."id", p."author_id", m."id"
"""
STRAY_MOVEMENTS = """
SELECT m."id", m."key" FROM "ledger_movements" m
WHERE m."kind" = 'unlock' AND m."key" !~ '^unlock:[0-9a-f-]{36}:[0-9a-f-]{36}$'
"""
COUNT = 'SELECT COUNT(*) AS "unlocks" FROM "post_unlocks"'


async def check_unlocks(query: Query) -> tuple[list[Violation], dict[str, int]]:
    violations = [v for row in await query(UNLOCKS) for v in _unlock(row)]
    violations += [
        Violation("orphan_movement", f"movement {r['id']} (unlock {r['key']})",
                  "is not keyed by a post and a fan")
        for r in await query(STRAY_MOVEMENTS)
    ]  # fmt: skip
    return violations, {"unlocks": int((await query(COUNT))[0]["unlocks"])}


def _unlock(row: dict[str, Any]) -> list[Violation]:
    subject = f"unlock {row['id']}"
    if row["movement"] is None or row["kind"] != "unlock" or row["key"] != row["expected_key"]:
        return [Violation("unlock_movement", subject, "is not paid by its own unlock movement")]
    price = int(row["price"])
    if (int(row["fan_side"]), int(row["author_side"])) != (-price, price):
        detail = (
            f"moved {row['fan_side']} from the fan and {row['author_side']} to the author "
            f"for a price of {price}"
        )
        return [Violation("unlock_amount", subject, detail)]
    return []
