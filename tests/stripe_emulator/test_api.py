"""The `/v1` API, driven by the stripe SDK exactly as the backend drives it."""

from __future__ import annotations

import uuid

import httpx
import pytest
import stripe

from tests.stripe_emulator.conftest import (
    PRICE,
    PURCHASE_ID,
    CreateSession,
    sdk_client,
    session_params,
)
from tools.stripe_emulator import Running
from tools.stripe_emulator.objects import fixture


def _item(unit_amount: int, quantity: int) -> dict[str, object]:
    return {
        "quantity": quantity,
        "price_data": {
            "currency": "usd",
            "unit_amount": unit_amount,
            "product_data": {"name": "100 tokens"},
        },
    }


def test_create_session_sync(create_session: CreateSession, emulator: Running) -> None:
    session = create_session()

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{emulator.config.base_url}/checkout/{session.id}"
    assert session.status == "open"
    assert session.payment_status == "unpaid"
    assert session.amount_total == PRICE
    assert session.currency == "usd"
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"purchase_id": PURCHASE_ID}
    assert session.client_reference_id == "user-42"
    assert session.customer_email == "fan@example.com"
    assert session.payment_intent is None  # created when the customer pays, as Stripe does
    assert set(session.to_dict()) == set(fixture("checkout.session"))


async def test_create_and_retrieve_session_async(sdk: stripe.StripeClient) -> None:
    key = f"purchase-{uuid.uuid4()}"
    params = session_params(line_items=[_item(500, 3)])

    first = await sdk.v1.checkout.sessions.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    again = await sdk.v1.checkout.sessions.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    assert again.id == first.id
    assert first.amount_total == 1500
    assert again.last_response is not None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"

    with pytest.raises(stripe.IdempotencyError) as raised:
        await sdk.v1.checkout.sessions.create_async(
            params=session_params(metadata={"purchase_id": "another"}),  # type: ignore[arg-type]
            options={"idempotency_key": key},
        )
    assert raised.value.http_status == 400
    assert "same parameters" in str(raised.value)

    fetched = await sdk.v1.checkout.sessions.retrieve_async(first.id)
    assert fetched.id == first.id
    assert fetched.status == "open"
    items = await sdk.v1.checkout.sessions.line_items.list_async(first.id)
    assert [(item.description, item.quantity, item.amount_total) for item in items.data] == [
        ("100 tokens", 3, 1500)
    ]


def test_requests_without_a_secret_key_get_401(emulator: Running) -> None:
    response = httpx.post(
        f"{emulator.api_base}/v1/checkout/sessions", data={"mode": "payment"}, timeout=5
    )
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert "API key" in response.json()["error"]["message"]

    with pytest.raises(stripe.AuthenticationError):
        sdk_client(emulator, api_key="pk_test_publishable").v1.checkout.sessions.create(
            params=session_params()  # type: ignore[arg-type]
        )


def test_unknown_ids_are_404_resource_missing(sdk: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.v1.checkout.sessions.retrieve("cs_test_nope")
    assert raised.value.http_status == 404
    assert raised.value.code == "resource_missing"
    assert "No such checkout.session: 'cs_test_nope'" in str(raised.value)

    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.payment_intents.retrieve("pi_nope")
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.charges.retrieve("ch_nope")


@pytest.mark.parametrize(
    ("overrides", "param", "code"),
    [
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"mode": "subscription"}, "mode", None),
        ({"metdata": {"purchase_id": "x"}}, "metdata", "parameter_unknown"),
        ({"line_items": [_item(0, 1)]}, "line_items", None),
        (
            {"line_items": [{"quantity": 1, "price_data": {"currency": "usd", "unit_amount": 5}}]},
            "line_items[0][price_data][product_data][name]",
            "parameter_missing",
        ),
        ({"success_url": "not a url"}, "success_url", "url_invalid"),
        ({"expires_at": 1}, "expires_at", None),
    ],
)
def test_bad_parameters_are_400_with_the_param(
    sdk: stripe.StripeClient, overrides: dict[str, object], param: str, code: str | None
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.v1.checkout.sessions.create(params=session_params(**overrides))  # type: ignore[arg-type]
    assert raised.value.http_status == 400
    assert raised.value.param == param
    assert raised.value.code == code


def test_expire_through_the_api(sdk: stripe.StripeClient, create_session: CreateSession) -> None:
    session = create_session()
    expired = sdk.v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.v1.checkout.sessions.expire(session.id)
    assert 'status of "expired"' in str(raised.value)


def test_expand_payment_intent_and_charge(
    sdk: stripe.StripeClient, create_session: CreateSession, control: httpx.Client
) -> None:
    session = create_session()
    control.post(f"/_emulator/checkout/sessions/{session.id}/pay").raise_for_status()

    expanded = sdk.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )
    intent = expanded.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert intent.status == "succeeded"
    assert isinstance(intent.latest_charge, stripe.Charge)
    assert intent.latest_charge.amount_captured == PRICE

    with pytest.raises(stripe.InvalidRequestError, match="cannot be expanded"):
        sdk.v1.checkout.sessions.retrieve(session.id, params={"expand": ["customer"]})
