"""Buying a package starts a Stripe Checkout for a pending purchase; purchases are listed."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from backend.payments.models import Purchase
from backend.settings import Settings
from tests.payments.stack import Stack
from tests.payments.support import SMALL_PRICE, SMALL_TOKENS, session_of, start_checkout
from tests.support.accounts import create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_the_packages_come_from_configuration(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/tokens/packages")
    assert response.status_code == 200
    assert response.json()["packages"][0] == {
        "id": "small",
        "tokens": 100,
        "price_cents": 999,
        "currency": "usd",
        "label": "100 tokens",
    }
    assert [p["id"] for p in response.json()["packages"]] == ["small", "medium", "large"]


async def test_a_purchase_is_pending_with_a_checkout_session_carrying_its_id(
    stack: Stack,
) -> None:
    fan = await create_account("fan")

    response = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": "small"}, headers=fan.auth
    )

    assert response.status_code == 201, response.text
    body = response.json()
    purchase_id = body["purchase_id"]
    stored = await Purchase.get(id=purchase_id)
    assert (stored.status, stored.tokens, stored.amount_cents, stored.currency) == (
        "pending", SMALL_TOKENS, SMALL_PRICE, "usd",
    )  # fmt: skip
    assert str(stored.user_id) == fan.id
    session = await session_of(stack, purchase_id)
    assert body["checkout_url"] == session["url"] == stored.checkout_url
    assert stored.checkout_session_id == session["id"]
    assert session["mode"] == "payment"
    assert session["amount_total"] == SMALL_PRICE
    assert session["currency"] == "usd"
    assert session["client_reference_id"] == purchase_id
    assert session["metadata"] == {"purchase_id": purchase_id}
    assert session["customer_email"] == fan.email
    success = urlsplit(session["success_url"])
    assert success.path == "/wallet/return"
    assert parse_qs(success.query)["purchase"] == [purchase_id]
    assert "session_id={CHECKOUT_SESSION_ID}" in session["success_url"]
    cancel = urlsplit(session["cancel_url"])
    assert parse_qs(cancel.query) == {"purchase": [purchase_id], "cancelled": ["1"]}


async def test_the_stripe_idempotency_key_comes_from_the_purchase(
    stack: Stack, settings: Settings
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    remembered = stack.emulator.emulator.store.idempotency  # what the emulator saw
    api_key = settings.stripe_secret_key.get_secret_value()
    result = remembered[(api_key, f"digis-purchase-{checkout.purchase_id}")]
    assert result.status == 200


async def test_an_unknown_package_is_422(stack: Stack) -> None:
    fan = await create_account("fan")
    response = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": "huge"}, headers=fan.auth
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "package_id"
    assert await Purchase.all().count() == 0


async def test_buying_needs_a_signed_in_user(stack: Stack) -> None:
    response = await stack.api.post("/api/tokens/purchase", json={"package_id": "small"})
    assert response.status_code == 401


async def test_stripe_unreachable_is_503_and_the_purchase_is_failed(
    client: httpx.AsyncClient,
) -> None:
    """The session API has no emulator: its SDK points at the real Stripe, unreachable
    from here (and the fake key would be refused anyway)."""
    fan = await create_account("fan")
    response = await client.post(
        "/api/tokens/purchase", json={"package_id": "small"}, headers=fan.auth
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment_provider_unavailable"
    [failed] = await Purchase.all()
    assert failed.status == "failed"
    assert failed.failure_reason == "The payment could not be started."


async def test_purchases_are_listed_newest_first_page_by_page(stack: Stack) -> None:
    fan, other = await create_account("fan"), await create_account("fan")
    started = [(await start_checkout(stack, fan, package)).purchase_id
               for package in ("small", "medium", "large", "small")]  # fmt: skip
    await start_checkout(stack, other)

    seen: list[str] = []
    cursor = None
    for _ in range(4):
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        response = await stack.api.get("/api/payments", params=params, headers=fan.auth)
        assert response.status_code == 200
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == started[::-1]

    one = (await stack.api.get(f"/api/payments/{started[1]}", headers=fan.auth)).json()
    assert one == {
        "id": started[1],
        "package_id": "medium",
        "tokens": 550,
        "amount_cents": 4999,
        "currency": "usd",
        "status": "pending",
        "created_at": one["created_at"],
        "paid_at": None,
        "tokens_refunded": 0,
        "failure_reason": None,
    }


async def test_another_users_purchase_is_not_found(stack: Stack) -> None:
    fan, other = await create_account("fan"), await create_account("fan")
    checkout = await start_checkout(stack, fan)
    response = await stack.api.get(f"/api/payments/{checkout.purchase_id}", headers=other.auth)
    assert response.status_code == 404
    missing = await stack.api.get(f"/api/payments/{uuid.uuid4()}", headers=fan.auth)
    assert missing.status_code == 404


@pytest.mark.parametrize("cursor", ["garbage", "WyJub3QtYS1kYXRlIiwgInh5eiJd", "WzEsMl0"])
async def test_a_bad_cursor_is_422(stack: Stack, cursor: str) -> None:
    fan = await create_account("fan")
    response = await stack.api.get("/api/payments", params={"cursor": cursor}, headers=fan.auth)
    assert response.status_code == 422


async def test_a_retried_purchase_with_the_same_key_starts_one_checkout(stack: Stack) -> None:
    fan = await create_account("fan")
    headers = fan.auth | {"Idempotency-Key": "buy-small-1"}

    first = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": "small"}, headers=headers
    )
    again = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": "small"}, headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await Purchase.filter(user_id=fan.id).count() == 1
    other = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": "large"}, headers=headers
    )
    assert other.status_code == 422
