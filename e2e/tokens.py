"""Token packages and, for flows that need a fan with tokens, buying them through the API
and paying on the Stripe emulator's control endpoint (no browser)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from e2e.users import User


@dataclass(frozen=True)
class Package:
    id: str
    tokens: int


def packages(api: httpx.Client) -> list[Package]:
    response = api.get("/api/tokens/packages")
    assert response.status_code == 200, f"packages: {response.status_code} {response.text}"
    return [Package(p["id"], p["tokens"]) for p in response.json()["packages"]]


def smallest_package(api: httpx.Client) -> Package:
    return min(packages(api), key=lambda package: package.tokens)


def buy_tokens(api: httpx.Client, stripe_url: str, user: User, package: Package) -> None:
    """Start a purchase as `user` and pay it on the emulator; the webhook credits it soon
    after (wait for the balance on the page)."""
    started = api.post(
        "/api/tokens/purchase",
        json={"package_id": package.id},
        headers={**user.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert started.status_code == 201, f"purchase: {started.status_code} {started.text}"
    session_id = started.json()["checkout_url"].rstrip("/").rsplit("/", 1)[1]
    paid = httpx.post(f"{stripe_url}/_emulator/checkout/sessions/{session_id}/pay", timeout=30)
    assert paid.status_code == 200, f"pay {session_id}: {paid.status_code} {paid.text}"
