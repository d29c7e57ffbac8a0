"""The fields Digis reads from the Stripe objects inside webhook events."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StripeObject(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    metadata: dict[str, str] = Field(default_factory=dict)

    @property
    def purchase_ref(self) -> str | None:
        return self.metadata.get("purchase_id")


class CheckoutSession(StripeObject):
    payment_status: str
    payment_intent: str | None = None
    client_reference_id: str | None = None
    amount_total: int | None = None
    currency: str | None = None

    @property
    def purchase_ref(self) -> str | None:
        return self.metadata.get("purchase_id") or self.client_reference_id


class PaymentError(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    message: str | None = None


class PaymentIntent(StripeObject):
    amount: int
    currency: str
    latest_charge: str | None = None
    last_payment_error: PaymentError | None = None


class Charge(StripeObject):
    amount: int
    amount_refunded: int  # cumulative over every refund of the charge
    currency: str
    payment_intent: str | None = None


class Dispute(StripeObject):
    amount: int
    currency: str
    status: str
    charge: str | None = None
    payment_intent: str | None = None
