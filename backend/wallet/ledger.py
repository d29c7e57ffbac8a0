"""Posting to the ledger: one movement, its entries and the balances they change.

Call `post` inside a transaction. It is insert-or-nothing on the movement's key, so the
same movement posted twice (a redelivered event, a retried job) changes nothing the
second time. Balances are changed in wallet id order, the one lock order every movement
follows, so concurrent movements never deadlock; a leg that spends (`must_cover`) is a
conditional update that refuses to take the balance below zero, however many run at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from backend.http.errors import Conflict
from backend.wallet.models import PAYOUTS_WALLET, PLATFORM_WALLET, EntryKind, MovementKind


@dataclass(frozen=True)
class Leg:
    """One entry of a movement: `amount` tokens (signed) on one wallet."""

    wallet_id: int
    amount: int
    kind: EntryKind
    description: str
    reference: str
    must_cover: bool = False  # a spend: refused if the balance cannot cover it


@dataclass(frozen=True)
class Posted:
    movement_id: int
    balances: dict[int, int]  # wallet id -> balance after the movement


class InsufficientBalance(Conflict):
    code = "insufficient_balance"

    def __init__(self, balance: int, required: int) -> None:
        super().__init__(
            "Your token balance is too low for this.",
            details={"balance": balance, "required": required},
        )


# A wallet's id, the wallet created empty on first use, in one statement. When another
# transaction creates it at the same moment, the statement's snapshot misses that row: the
# caller then reads it again (see `_wallet_id`).
USER_WALLET = """
WITH created AS (
    INSERT INTO "wallets" ("owner_id", "balance", "created_at", "updated_at")
    VALUES ($1, 0, now(), now()) ON CONFLICT ("owner_id") DO NOTHING RETURNING "id"
)
SELECT "id" FROM created UNION ALL SELECT "id" FROM "wallets" WHERE "owner_id" = $1
"""
SYSTEM_WALLET = """
WITH created AS (
    INSERT INTO "wallets" ("system_name", "balance", "created_at", "updated_at")
    VALUES ($1, 0, now(), now()) ON CONFLICT ("system_name") DO NOTHING RETURNING "id"
)
SELECT "id" FROM created UNION ALL SELECT "id" FROM "wallets" WHERE "system_name" = $1
"""
READ_USER_WALLET = 'SELECT "id" FROM "wallets" WHERE "owner_id" = $1'
LOCK_USER_WALLET = 'SELECT "id" FROM "wallets" WHERE "owner_id" = $1 FOR UPDATE'
READ_SYSTEM_WALLET = 'SELECT "id" FROM "wallets" WHERE "system_name" = $1'
INSERT_MOVEMENT = """
INSERT INTO "ledger_movements" ("kind", "key", "purchase_id", "created_at")
VALUES ($1, $2, $3, now()) ON CONFLICT ("key") DO NOTHING RETURNING "id"
"""
CHANGE_BALANCE = """
UPDATE "wallets" SET "balance" = "balance" + $2, "updated_at" = now()
WHERE "id" = $1 AND (NOT $3 OR "balance" + $2 >= 0)
RETURNING "balance"
"""
# All the entries of a movement in one statement: they become visible together.
INSERT_ENTRIES = """
INSERT INTO "ledger_entries"
    ("movement_id", "wallet_id", "amount", "kind", "description", "reference", "created_at")
SELECT $1, leg.wallet_id, leg.amount, leg.kind, leg.description, leg.reference, now()
FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])
    AS leg(wallet_id, amount, kind, description, reference)
"""


def _db() -> BaseDBAsyncClient:
    db: BaseDBAsyncClient = connections.get("default")
    return db


async def user_wallet(user_id: uuid.UUID) -> int:
    """The id of the user's wallet, created empty on first use."""
    return await _wallet_id(
        USER_WALLET, 'SELECT "id" FROM "wallets" WHERE "owner_id" = $1', user_id
    )


async def platform_wallet() -> int:
    """The id of the platform's wallet: the other side of every purchase and refund."""
    return await _wallet_id(SYSTEM_WALLET, READ_SYSTEM_WALLET, PLATFORM_WALLET)


async def payouts_wallet() -> int:
    """The id of the wallet holding the tokens paid out to creators."""
    return await _wallet_id(SYSTEM_WALLET, READ_SYSTEM_WALLET, PAYOUTS_WALLET)


async def lock_user_wallet(user_id: uuid.UUID) -> int:
    """Lock the user's wallet row for the rest of the caller's transaction (creating it
    first if need be), so that a decision about its balance and the movement that follows
    it happen one at a time, however many requests race."""
    await user_wallet(user_id)
    rows = await _db().execute_query_dict(LOCK_USER_WALLET, [user_id])
    wallet_id: int = rows[0]["id"]
    return wallet_id


async def _wallet_id(get_or_create: str, read: str, owner: object) -> int:
    rows = await _db().execute_query_dict(get_or_create, [owner])
    if not rows:  # created by a concurrent transaction after this statement began
        rows = await _db().execute_query_dict(read, [owner])
    wallet_id: int = rows[0]["id"]
    return wallet_id


async def balance_of(user_id: uuid.UUID) -> int:
    rows = await _db().execute_query_dict(
        'SELECT "balance" FROM "wallets" WHERE "owner_id" = $1', [user_id]
    )
    return int(rows[0]["balance"]) if rows else 0


async def post(
    kind: MovementKind,
    key: str,
    legs: Sequence[Leg],
    *,
    purchase_id: uuid.UUID | None = None,
) -> Posted | None:
    """Post a movement (in the caller's transaction); None if `key` was already posted."""
    if sum(leg.amount for leg in legs) != 0 or any(leg.amount == 0 for leg in legs):
        raise ValueError(f"a movement's entries must be non-zero and sum to zero: {legs}")
    db = _db()
    inserted = await db.execute_query_dict(INSERT_MOVEMENT, [kind.value, key, purchase_id])
    if not inserted:
        return None
    movement_id: int = inserted[0]["id"]
    balances = {}
    for leg in sorted(legs, key=lambda leg: leg.wallet_id):
        balances[leg.wallet_id] = await _change_balance(db, leg)
    await db.execute_query(
        INSERT_ENTRIES,
        [
            movement_id,
            [leg.wallet_id for leg in legs],
            [leg.amount for leg in legs],
            [leg.kind.value for leg in legs],
            [leg.description for leg in legs],
            [leg.reference for leg in legs],
        ],
    )
    return Posted(movement_id, balances)


async def _change_balance(db: BaseDBAsyncClient, leg: Leg) -> int:
    rows = await db.execute_query_dict(CHANGE_BALANCE, [leg.wallet_id, leg.amount, leg.must_cover])
    if not rows:
        current = await db.execute_query_dict(
            'SELECT "balance" FROM "wallets" WHERE "id" = $1', [leg.wallet_id]
        )
        raise InsufficientBalance(int(current[0]["balance"]), -leg.amount)
    return int(rows[0]["balance"])
