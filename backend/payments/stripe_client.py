"""The one way Digis talks to Stripe: the official SDK, pointed at the local emulator in
development (`STRIPE_API_BASE`)."""

from __future__ import annotations

from dataclasses import dataclass

import stripe

from backend.settings import Settings

TIMEOUT_SECONDS = 20  # well inside the API's response timeout
NETWORK_RETRIES = 2  # the SDK retries with the same idempotency key


class PaymentProviderError(Exception):
    """Stripe could not be reached or refused the request."""


@dataclass(frozen=True)
class CheckoutRequest:
    purchase_id: str
    amount_cents: int
    currency: str
    product_name: str
    customer_email: str
    success_url: str
    cancel_url: str
    expires_at: int  # unix seconds


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


class StripeGateway:
    """The SDK client of one API process (its connections live on the event loop)."""

    def __init__(self, settings: Settings) -> None:
        base = str(settings.stripe_api_base).rstrip("/") if settings.stripe_api_base else None
        self._http = stripe.HTTPXClient(timeout=TIMEOUT_SECONDS)
        self.client = stripe.StripeClient(
            settings.stripe_secret_key.get_secret_value(),
            base_addresses={"api": base} if base else None,
            http_client=self._http,
            max_network_retries=NETWORK_RETRIES,
        )

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create_checkout_session(self, request: CheckoutRequest) -> CheckoutSession:
        """A Checkout Session for one purchase. Asking again for the same purchase returns
        the same session: the idempotency key is derived from the purchase id."""
        purchase_id = request.purchase_id
        try:
            session = await self.client.v1.checkout.sessions.create_async(
                params={
                    "mode": "payment",
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": request.currency,
                                "unit_amount": request.amount_cents,
                                "product_data": {"name": request.product_name},
                            },
                        }
                    ],
                    "success_url": request.success_url,
                    "cancel_url": request.cancel_url,
                    "client_reference_id": purchase_id,
                    "expires_at": request.expires_at,
                    "customer_email": request.customer_email,
                    "metadata": {"purchase_id": purchase_id},
                    "payment_intent_data": {"metadata": {"purchase_id": purchase_id}},
                },
                options={"idempotency_key": f"digis-purchase-{purchase_id}"},
            )
        except stripe.StripeError as error:
            raise PaymentProviderError(str(error)) from error
        if not session.url:
            raise PaymentProviderError(f"checkout session {session.id} has no URL")
        return CheckoutSession(session.id, session.url)

    async def expire_checkout_session(self, session_id: str) -> bool:
        """Close an open Checkout Session (Stripe then sends `checkout.session.expired`);
        False when it is no longer open (already paid, or already expired)."""
        try:
            session = await self.client.v1.checkout.sessions.expire_async(session_id)
        except stripe.InvalidRequestError:
            return False
        except stripe.StripeError as error:
            raise PaymentProviderError(str(error)) from error
        return session.status == "expired"
