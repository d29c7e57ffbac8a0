"""What the payment routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from backend.http.pagination import Page
from backend.payments.models import PurchaseStatus


class PackageOut(BaseModel):
    id: str
    tokens: int
    price_cents: int
    currency: str
    label: str


class PackagesOut(BaseModel):
    packages: list[PackageOut]


class PurchaseIn(BaseModel):
    package_id: str = Field(min_length=1, max_length=50)


class PurchaseStartedOut(BaseModel):
    purchase_id: uuid.UUID
    checkout_url: str = Field(description="Send the browser here to pay (Stripe Checkout)")


class PurchaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    package_id: str
    tokens: int
    amount_cents: int
    currency: str
    status: PurchaseStatus
    created_at: datetime
    paid_at: datetime | None
    tokens_refunded: int
    failure_reason: str | None = Field(description="Why the last payment attempt failed")


class PurchasePage(Page[PurchaseOut]):
    """A page of your purchases, newest first."""


class WebhookAck(BaseModel):
    received: bool = True
