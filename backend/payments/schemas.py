"""What the payment routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backend.http.pagination import Page
from backend.payments.models import PurchaseStatus

EXAMPLE_PACKAGES: list[Any] = [
    {"id": "small", "tokens": 100, "price_cents": 999, "currency": "usd", "label": "100 tokens"},
    {"id": "medium", "tokens": 550, "price_cents": 4999, "currency": "usd", "label": "550 tokens"},
    {"id": "large", "tokens": 1200, "price_cents": 9999, "currency": "usd", "label": "1200 tokens"},
]
EXAMPLE_PURCHASE_ID = "1b9e4f2a-7c3d-4e8f-a5b6-0c2d9e7f1a83"
EXAMPLE_PURCHASE: dict[str, Any] = {
    "id": EXAMPLE_PURCHASE_ID,
    "package_id": "medium",
    "tokens": 550,
    "amount_cents": 4999,
    "currency": "usd",
    "status": "paid",
    "created_at": "2025-03-01T10:00:00Z",
    "paid_at": "2025-03-01T10:01:12Z",
    "tokens_refunded": 0,
    "failure_reason": None,
}
EXAMPLE_STRIPE_EVENT: dict[str, Any] = {
    "id": "evt_1QxYz2AbCdEfGhIj3KlMnOpQ",
    "object": "event",
    "type": "checkout.session.completed",
    "created": 1740823272,
    "data": {
        "object": {
            "id": "cs_test_a1B2c3D4e5F6g7H8",
            "object": "checkout.session",
            "payment_status": "paid",
            "payment_intent": "pi_3QxYz2AbCdEfGhIj0RsTuVwX",
            "client_reference_id": EXAMPLE_PURCHASE_ID,
            "amount_total": 4999,
            "currency": "usd",
            "metadata": {"purchase_id": EXAMPLE_PURCHASE_ID},
        }
    },
}


class PackageOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PACKAGES[0]]})

    id: str
    tokens: int
    price_cents: int
    currency: str
    label: str


class PackagesOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"packages": EXAMPLE_PACKAGES}]})

    packages: list[PackageOut]


class PurchaseIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"package_id": "medium"}]})

    package_id: str = Field(min_length=1, max_length=50)


class PurchaseStartedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "purchase_id": EXAMPLE_PURCHASE_ID,
                    "checkout_url": "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8",
                }
            ]
        }
    )

    purchase_id: uuid.UUID
    checkout_url: str = Field(description="Send the browser here to pay (Stripe Checkout)")


class PurchaseOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [EXAMPLE_PURCHASE]}
    )

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

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_PURCHASE], "next_cursor": None}]}
    )


class WebhookAck(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"received": True}]})

    received: bool = True
