"""Purchases of token packages, and the inbox of Stripe events about them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User


class PurchaseStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    DISPUTED = "disputed"


class DisputeState(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Purchase(Model):
    """One token package bought through one Checkout Session.

    The facts learned from Stripe are stored one by one (paid, refunded so far, disputed,
    expired...); `status` is derived from them (see `settlement.status_of`), so events
    applied in any order end in the same status.
    """

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="purchases", on_delete=fields.RESTRICT
    )
    user_id: uuid.UUID
    package_id = fields.CharField(max_length=50)
    tokens: int = fields.BigIntField()
    amount_cents = fields.IntField()
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(PurchaseStatus, max_length=24, default=PurchaseStatus.PENDING)
    checkout_session_id = fields.CharField(max_length=255, null=True, unique=True)
    checkout_url = fields.TextField(null=True)
    payment_intent_id = fields.CharField(max_length=255, null=True, unique=True)
    charge_id = fields.CharField(max_length=255, null=True, unique=True)
    failure_reason = fields.CharField(max_length=500, null=True)
    payment_failed = fields.BooleanField(default=False)
    session_expired = fields.BooleanField(default=False)
    paid_at = fields.DatetimeField(null=True)  # when the tokens were credited
    amount_refunded_cents = fields.IntField(default=0)  # cumulative, as Stripe reports it
    tokens_refunded: int = fields.BigIntField(default=0)
    dispute_id = fields.CharField(max_length=255, null=True)
    dispute_state = fields.CharEnumField(DisputeState, max_length=8, null=True)
    tokens_disputed: int = fields.BigIntField(default=0)  # taken back by the dispute
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "purchases"
        indexes = (Index(fields=("user_id", "created_at", "id")),)


class StripeEvent(Model):
    """The webhook inbox: each Stripe event once, kept after handling so that redeliveries
    (Stripe retries for days and allows resends for 30) are recognised."""

    id = fields.CharField(max_length=255, primary_key=True)  # Stripe's `evt_...`
    type = fields.CharField(max_length=100)
    payload: dict[str, Any] = fields.JSONField()  # the verified event
    stripe_created_at: datetime = fields.DatetimeField()
    received_at = fields.DatetimeField(auto_now_add=True)
    deliveries = fields.IntField(default=1)
    job_id: int = fields.BigIntField(null=True)  # its outbox job (no foreign key: jobs are pruned)
    handled_at = fields.DatetimeField(null=True)
    outcome = fields.CharField(max_length=200, null=True)
    # Not applied within STRIPE_EVENT_GIVE_UP_HOURS: no longer retried; `outcome` says why.
    gave_up_at = fields.DatetimeField(null=True)

    class Meta:
        table = "stripe_events"
        indexes = (Index(fields=("handled_at", "received_at")),)
