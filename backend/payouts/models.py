"""Creators' payout accounts (Stripe Connect, Express) and their payouts.

A payout's facts are stored as Stripe reports them, one by one (transferred, paid, failed,
reversed, tokens returned); its status is derived from them (`lifecycle.status_of`), so
events applied in any order end in the same status, as a purchase's do.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User


class AccountState(StrEnum):
    ONBOARDING = "onboarding"  # created; the creator has not finished Stripe's forms
    RESTRICTED = "restricted"  # Stripe needs more before it pays out
    ENABLED = "enabled"  # payouts allowed


class PayoutAccount(Model):
    """A creator's connected account, as Stripe last reported it through `account.updated`."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="payout_account", on_delete=fields.RESTRICT, primary_key=True
    )
    user_id: uuid.UUID
    stripe_account_id = fields.CharField(max_length=255, unique=True)
    state = fields.CharEnumField(AccountState, max_length=16, default=AccountState.ONBOARDING)
    details_submitted = fields.BooleanField(default=False)
    payouts_enabled = fields.BooleanField(default=False)
    requirements_due: list[str] = fields.JSONField(default=list)  # Stripe's currently_due
    disabled_reason = fields.CharField(max_length=200, null=True)
    # The `created` time of the event the state comes from: an older event changes nothing.
    reported_at: datetime | None = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payout_accounts"


class PayoutStatus(StrEnum):
    REQUESTED = "requested"  # tokens taken, the transfer not made yet
    IN_TRANSIT = "in_transit"  # transferred to the connected account, on its way to the bank
    PAID = "paid"
    FAILED = "failed"  # the transfer was refused or the bank payout failed: tokens returned
    REVERSED = "reversed"  # the transfer was reversed: tokens returned


class Payout(Model):
    id = fields.UUIDField(primary_key=True)
    creator: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="payouts", on_delete=fields.RESTRICT
    )
    creator_id: uuid.UUID
    tokens: int = fields.BigIntField()
    amount_cents: int = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    stripe_account_id = fields.CharField(max_length=255)
    status = fields.CharEnumField(PayoutStatus, max_length=16, default=PayoutStatus.REQUESTED)
    movement_id: int = fields.BigIntField(unique=True)  # the ledger movement taking the tokens
    transfer_id = fields.CharField(max_length=255, null=True, unique=True)
    stripe_payout_id = fields.CharField(max_length=255, null=True, unique=True)
    transferred_at = fields.DatetimeField(null=True)
    paid_at = fields.DatetimeField(null=True)
    failed_at = fields.DatetimeField(null=True)
    reversed_at = fields.DatetimeField(null=True)
    failure_code = fields.CharField(max_length=100, null=True)
    failure_message = fields.CharField(max_length=500, null=True)
    return_movement_id: int | None = fields.BigIntField(null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payouts"
        indexes = (Index(fields=("creator_id", "created_at", "id")),)
