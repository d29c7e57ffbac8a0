"""The token ledger.

Tokens are integers. Every change of a balance is an append-only `Entry`; the entries of
one `Movement` (a purchase credit, a tip, a refund...) sum to zero, the other side of a
purchase or a refund being the platform's wallet. Each wallet also stores its balance,
changed in the same transaction as its entries, so that a spend can be refused with one
conditional update. The migration adds the CHECK constraints and the triggers that make
entries and movements append-only.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User

PLATFORM_WALLET = "platform"  # `system_name` of the wallet that issues purchased tokens
PAYOUTS_WALLET = "payouts"  # `system_name` of the wallet holding tokens paid out to creators


class MovementKind(StrEnum):
    PURCHASE = "purchase"
    TIP = "tip"
    UNLOCK = "unlock"  # a fan unlocks a creator's locked post
    REFUND = "refund"
    DISPUTE = "dispute"
    DISPUTE_WON = "dispute_won"
    PAYOUT = "payout"  # a creator's tokens taken into a payout
    PAYOUT_RETURN = "payout_return"  # a failed or reversed payout's tokens given back


class EntryKind(StrEnum):
    PURCHASE = "purchase"
    TIP_SENT = "tip_sent"
    TIP_RECEIVED = "tip_received"
    UNLOCK_SENT = "unlock_sent"
    UNLOCK_RECEIVED = "unlock_received"
    REFUND = "refund"
    DISPUTE = "dispute"
    DISPUTE_WON = "dispute_won"
    PAYOUT = "payout"
    PAYOUT_RETURNED = "payout_returned"


# What a creator earns: tokens other users gave them.
EARNING_ENTRY_KINDS = (EntryKind.TIP_RECEIVED, EntryKind.UNLOCK_RECEIVED)
# Entries that spend a balance: never below zero (only a refund or a dispute can).
SPENDING_ENTRY_KINDS = (EntryKind.TIP_SENT, EntryKind.UNLOCK_SENT, EntryKind.PAYOUT)


class Wallet(Model):
    """A user's wallet (`owner`), or a system account (`system_name`); exactly one is set."""

    id = fields.BigIntField(primary_key=True)
    owner: fields.OneToOneNullableRelation[User] = fields.OneToOneField(
        "models.User", related_name="wallet", null=True, on_delete=fields.RESTRICT
    )
    owner_id: uuid.UUID | None
    system_name = fields.CharField(max_length=32, null=True, unique=True)
    # Equal to the sum of the wallet's entries; negative only after a refund or a dispute.
    balance: int = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "wallets"


class Movement(Model):
    """One change of the ledger: its entries sum to zero and commit together."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(MovementKind, max_length=16)
    # What makes the movement happen once: "credit:<payment intent>", "tip:<tip id>", ...
    key = fields.CharField(max_length=200, unique=True)
    purchase: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Purchase", related_name="movements", null=True, on_delete=fields.RESTRICT
    )
    purchase_id: uuid.UUID | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ledger_movements"


class Entry(Model):
    id = fields.BigIntField(primary_key=True)
    movement: fields.ForeignKeyRelation[Movement] = fields.ForeignKeyField(
        "models.Movement", related_name="entries", on_delete=fields.RESTRICT
    )
    movement_id: int
    wallet: fields.ForeignKeyRelation[Wallet] = fields.ForeignKeyField(
        "models.Wallet", related_name="entries", on_delete=fields.RESTRICT
    )
    wallet_id: int
    amount: int = fields.BigIntField()  # signed, never zero
    kind = fields.CharEnumField(EntryKind, max_length=16)
    description = fields.CharField(max_length=200)
    reference = fields.CharField(max_length=64)  # the purchase or tip id
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ledger_entries"
        indexes = (Index(fields=("wallet_id", "id")), Index(fields=("movement_id",)))


class Tip(Model):
    id = fields.UUIDField(primary_key=True)
    fan: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tips_sent", on_delete=fields.RESTRICT
    )
    fan_id: uuid.UUID
    creator: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tips_received", on_delete=fields.RESTRICT
    )
    creator_id: uuid.UUID
    amount: int = fields.BigIntField()
    message = fields.CharField(max_length=280, null=True)
    movement: fields.OneToOneRelation[Movement] = fields.OneToOneField(
        "models.Movement", related_name="tip", on_delete=fields.RESTRICT
    )
    movement_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tips"
        indexes = (
            Index(fields=("fan_id", "created_at")),
            Index(fields=("creator_id", "created_at")),
        )
