"""Stripe objects, each built from a copy of Stripe's own example (`fixtures/objects.json`).

Every builder starts from the fixture, so the emulator sends exactly the fields Stripe sends;
only values change. Fixture placeholders that a plain card payment through Checkout would not
have (shipping, currency conversion, custom text, ...) are reset to what Stripe returns for such
a session. The line item and price objects are not in the fixtures and follow Stripe's API
reference.
"""

from __future__ import annotations

import copy
import json
import secrets
import string
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

JSON = dict[str, Any]
# Builds a charge's `payment_method_details` for an amount.
MethodDetails = Callable[[int], JSON]

FIXTURES = Path(__file__).parent / "fixtures" / "objects.json"
_ALPHABET = string.ascii_letters + string.digits
ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv"}
    | {"xaf", "xof", "xpf"}
)
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}
DECLINE_MESSAGE = "Your card was declined."


@cache
def _fixtures() -> dict[str, JSON]:
    loaded: dict[str, JSON] = json.loads(FIXTURES.read_text(encoding="utf-8"))
    return loaded


def fixture(kind: str) -> JSON:
    """A fresh deep copy of Stripe's example object of `kind` (e.g. "checkout.session")."""
    return copy.deepcopy(_fixtures()[kind])


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def now() -> int:
    return int(time.time())


def format_amount(amount: int, currency: str) -> str:
    """`999, "usd"` -> `$9.99`; used on the hosted page and in error messages."""
    code = currency.lower()
    value = str(amount) if code in ZERO_DECIMAL else f"{amount / 100:,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{value}" if symbol else f"{value} {code.upper()}"


def _empty_address() -> JSON:
    return dict.fromkeys(fixture("checkout.session")["customer_details"]["address"])


def _price(*, currency: str, unit_amount: int, created: int) -> JSON:
    return {
        "id": new_id("price_"),
        "object": "price",
        "active": False,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": new_id("prod_", 14),
        "recurring": None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def line_item(
    *, currency: str, unit_amount: int, quantity: int, product_name: str, created: int
) -> JSON:
    amount = unit_amount * quantity
    return {
        "id": new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": currency,
        "description": product_name,
        "price": _price(currency=currency, unit_amount=unit_amount, created=created),
        "quantity": quantity,
    }


def line_item_list(session_id: str, items: list[JSON]) -> JSON:
    return {
        "object": "list",
        "data": copy.deepcopy(items),
        "has_more": False,
        "url": f"/v1/checkout/sessions/{session_id}/line_items",
    }


def checkout_session(
    *,
    base_url: str,
    currency: str,
    amount_total: int,
    success_url: str | None,
    cancel_url: str | None,
    client_reference_id: str | None,
    customer_email: str | None,
    metadata: dict[str, str],
    expires_at: int,
    created: int,
) -> JSON:
    session = fixture("checkout.session")
    session_id = new_id("cs_test_a1", 56)
    session.update(
        id=session_id,
        created=created,
        expires_at=expires_at,
        livemode=False,
        mode="payment",
        status="open",
        payment_status="unpaid",
        url=f"{base_url}/checkout/{session_id}",
        success_url=success_url,
        cancel_url=cancel_url,
        client_reference_id=client_reference_id,
        customer_email=customer_email,
        customer_details=None,
        metadata=dict(metadata),
        currency=currency,
        amount_subtotal=amount_total,
        amount_total=amount_total,
        # Since API version 2022-08-01 the PaymentIntent is created when the customer pays.
        payment_intent=None,
        payment_method_types=["card"],
        adaptive_pricing={"enabled": False},
        after_expiration=None,
        automatic_tax={"enabled": False, "liability": None, "provider": None, "status": None},
        collected_information=None,
        consent=None,
        consent_collection=None,
        currency_conversion=None,
        custom_text={
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        invoice_creation={
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        managed_payments={"enabled": False},
        payment_method_configuration_details=None,
        payment_method_options={"card": {"request_three_d_secure": "automatic"}},
        shipping_address_collection=None,
        shipping_cost=None,
        total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    )
    return session


def customer_details(email: str | None) -> JSON:
    details: JSON = fixture("checkout.session")["customer_details"]
    details.update(
        address=_empty_address() | {"country": "US", "postal_code": "42424"},
        email=email or "jenny.rosen@example.com",
        name="Jenny Rosen",
        tax_ids=[],
    )
    return details


def payment_intent(
    *,
    amount: int,
    currency: str,
    metadata: dict[str, str],
    description: str | None,
    receipt_email: str | None,
    created: int,
) -> JSON:
    intent = fixture("payment_intent")
    intent_id = new_id("pi_3")
    intent.update(
        id=intent_id,
        client_secret=f"{intent_id}_secret_{new_id('', 25)}",
        amount=amount,
        amount_capturable=0,
        amount_received=0,
        automatic_payment_methods=None,
        canceled_at=None,
        cancellation_reason=None,
        created=created,
        currency=currency,
        description=description,
        last_payment_error=None,
        latest_charge=None,
        livemode=False,
        managed_payments={"enabled": False},
        metadata=dict(metadata),
        next_action=None,
        payment_method=None,
        payment_method_configuration_details=None,
        payment_method_options={"card": {"request_three_d_secure": "automatic"}},
        payment_method_types=["card"],
        processing=None,
        receipt_email=receipt_email,
        shipping=None,
        status="requires_payment_method",
        transfer_data=None,
    )
    return intent


def card_details(amount: int) -> JSON:
    details: JSON = fixture("charge")["payment_method_details"]
    card = details["card"]
    card.update(amount_authorized=amount, wallet=None)
    card["overcapture"]["maximum_amount_capturable"] = amount
    return details


def bank_account_details(amount: int) -> JSON:
    return {
        "type": "us_bank_account",
        "us_bank_account": {
            "account_holder_type": "individual",
            "account_type": "checking",
            "bank_name": "STRIPE TEST BANK",
            "fingerprint": "FFDMA0xfhBjWSZLu",
            "last4": "6789",
            "payment_reference": None,
            "routing_number": "110000000",
        },
    }


def charge(
    *,
    intent: JSON,
    email: str | None,
    payment_method: str,
    status: str,
    method_details: JSON,
    created: int,
) -> JSON:
    """A charge of `intent`; `status` is "succeeded", "pending" (bank debit) or "failed"."""
    result = fixture("charge")
    charge_id = new_id("ch_3")
    amount = intent["amount"]
    succeeded = status == "succeeded"
    failed = status == "failed"
    outcome = result["outcome"]
    if failed:
        outcome.update(
            network_status="declined_by_network",
            reason="generic_decline",
            seller_message="The bank did not return any further details with this decline.",
            type="issuer_declined",
        )
    else:
        outcome.update(
            network_status="approved_by_network",
            seller_message="Payment complete.",
            type="authorized",
        )
    result.update(
        id=charge_id,
        amount=amount,
        amount_captured=0 if failed else amount,
        amount_refunded=0,
        balance_transaction=None if failed else new_id("txn_3"),
        billing_details=result["billing_details"] | {"email": email, "name": "Jenny Rosen"},
        captured=not failed,
        created=created,
        currency=intent["currency"],
        description=intent["description"],
        disputed=False,
        failure_code="card_declined" if failed else None,
        failure_message=DECLINE_MESSAGE if failed else None,
        livemode=False,
        metadata=dict(intent["metadata"]),
        outcome=outcome,
        paid=succeeded,
        payment_intent=intent["id"],
        payment_method=payment_method,
        payment_method_details=method_details,
        receipt_email=intent["receipt_email"],
        receipt_url=None,
        refunded=False,
        refunds={
            "data": [],
            "has_more": False,
            "object": "list",
            "url": f"/v1/charges/{charge_id}/refunds",
        },
        shipping=None,
        source=None,
        status=status,
        transfer_data=None,
    )
    return result


def card_declined_error(charge_id: str, payment_method: str) -> JSON:
    """The `last_payment_error` a declined card leaves on its PaymentIntent."""
    return {
        "charge": charge_id,
        "code": "card_declined",
        "decline_code": "generic_decline",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        "message": DECLINE_MESSAGE,
        "payment_method": {"id": payment_method, "object": "payment_method", "type": "card"},
        "type": "card_error",
    }


def bank_debit_failed_error(charge_id: str, payment_method: str) -> JSON:
    return {
        "charge": charge_id,
        "code": "insufficient_funds",
        "doc_url": "https://stripe.com/docs/error-codes/insufficient-funds",
        "message": "The customer's account has insufficient funds to cover this payment.",
        "payment_method": {
            "id": payment_method,
            "object": "payment_method",
            "type": "us_bank_account",
        },
        "type": "invalid_request_error",
    }


def refund(
    *,
    source: JSON,
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
    created: int,
) -> JSON:
    result = fixture("refund")
    result.update(
        id=new_id("re_3"),
        amount=amount,
        balance_transaction=new_id("txn_3"),
        charge=source["id"],
        created=created,
        currency=source["currency"],
        metadata=dict(metadata),
        payment_intent=source["payment_intent"],
        reason=reason,
        status="succeeded",
    )
    return result


def dispute(*, source: JSON, amount: int, reason: str, created: int) -> JSON:
    result = fixture("dispute")
    result.update(
        id=new_id("dp_1"),
        amount=amount,
        balance_transactions=[],
        charge=source["id"],
        created=created,
        currency=source["currency"],
        enhanced_eligibility_types=[],
        is_charge_refundable=False,
        livemode=False,
        metadata={},
        payment_intent=source["payment_intent"],
        reason=reason,
        status="needs_response",
    )
    result["evidence_details"].update(
        due_by=created + 7 * 24 * 3600,
        enhanced_eligibility={},
        has_evidence=False,
        past_due=False,
        submission_count=0,
    )
    result["payment_method_details"]["card"].update(case_type="chargeback")
    return result


def event(
    *,
    type: str,
    data_object: JSON,
    api_version: str,
    request_id: str | None,
    idempotency_key: str | None,
    pending_webhooks: int,
    created: int,
    account: str | None = None,
    previous_attributes: JSON | None = None,
) -> JSON:
    """An event; `account` is set (at the top of the envelope) for an event about a connected
    account, and `previous_attributes` (in `data`) for an `*.updated` event."""
    envelope = fixture("event")
    data: JSON = {"object": copy.deepcopy(data_object)}
    if previous_attributes is not None:
        data["previous_attributes"] = copy.deepcopy(previous_attributes)
    envelope.update(
        id=new_id("evt_1"),
        api_version=api_version,
        created=created,
        data=data,
        livemode=False,
        pending_webhooks=pending_webhooks,
        request={"id": request_id, "idempotency_key": idempotency_key},
        type=type,
    )
    # Stripe leaves `account` out of the platform's own events rather than sending null.
    return envelope if account is None else {"account": account} | envelope
