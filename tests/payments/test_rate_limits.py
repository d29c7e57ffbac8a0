"""Money routes allow 10 requests per user per 15 minutes, with the standard headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from backend.settings import Settings
from tests.payments.stack import Stack, live_stack
from tests.support.accounts import create_account
from tests.wallet.support import fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


@pytest.fixture
async def limited(settings: Settings, redis: Redis) -> AsyncIterator[Stack]:
    """API and emulator with rate limits on."""
    async with live_stack(settings) as running:
        yield running


def assert_refused(response: httpx.Response, policy: str) -> None:
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
    assert f'"{policy}";q=10;w=900' in response.headers["RateLimit-Policy"]


async def test_the_11th_tip_in_the_window_is_429(limited: Stack) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 100)
    for sent in range(10):
        response = await limited.api.post(
            "/api/tips", json={"creator": creator.handle, "amount": 1}, headers=fan.auth
        )
        assert response.status_code == 201
        assert f'"tips";r={9 - sent};' in response.headers["RateLimit"]

    eleventh = await limited.api.post(
        "/api/tips", json={"creator": creator.handle, "amount": 1}, headers=fan.auth
    )

    assert_refused(eleventh, "tips")
    assert (await limited.api.get("/api/wallet", headers=fan.auth)).json() == {"balance": 90}
    other = await create_account("fan")  # per user: someone else is not affected
    await fund(other, 1)
    allowed = await limited.api.post(
        "/api/tips", json={"creator": creator.handle, "amount": 1}, headers=other.auth
    )
    assert allowed.status_code == 201


async def test_the_11th_purchase_in_the_window_is_429(limited: Stack) -> None:
    fan = await create_account("fan")
    for _ in range(10):
        response = await limited.api.post(
            "/api/tokens/purchase", json={"package_id": "small"}, headers=fan.auth
        )
        assert response.status_code == 201

    eleventh = await limited.api.post(
        "/api/tokens/purchase", json={"package_id": "small"}, headers=fan.auth
    )

    assert_refused(eleventh, "token-purchase")


async def test_the_11th_payments_read_in_the_window_is_429(limited: Stack) -> None:
    fan = await create_account("fan")
    for _ in range(10):
        response = await limited.api.get("/api/payments", headers=fan.auth)
        assert response.status_code == 200
        assert "RateLimit" in response.headers

    eleventh = await limited.api.get("/api/payments", headers=fan.auth)

    assert_refused(eleventh, "payments")


async def test_a_purchase_status_can_be_polled_longer(limited: Stack) -> None:
    fan = await create_account("fan")
    status = "/api/payments/00000000-0000-0000-0000-000000000000"
    for _ in range(30):  # a return page polling for half a minute
        response = await limited.api.get(status, headers=fan.auth)
        assert response.status_code == 404
        assert '"payment-status";q=120;w=900' in response.headers["RateLimit-Policy"]
