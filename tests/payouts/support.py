"""A creator getting paid, as the web app, the emulator's pages and Stripe would drive it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from backend.payouts.models import Payout, PayoutAccount
from tests.payouts.conftest import PayoutStack
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.wallet.support import fund


async def creator_with_earnings(stack: PayoutStack, tokens: int) -> Account:
    """A creator a fan has tipped `tokens`."""
    creator = await create_account("creator")
    await tip(stack, creator, tokens)
    return creator


async def tip(stack: PayoutStack, creator: Account, tokens: int) -> None:
    fan = await create_account("fan")
    await fund(fan, tokens)
    sent = await stack.api.post(
        "/api/tips",
        json={"creator": creator.handle, "amount": tokens, "message": "for the work"},
        headers=fan.auth,
    )
    assert sent.status_code == 201, sent.text


async def onboarding_url(stack: PayoutStack, creator: Account) -> str:
    started = await stack.api.post("/api/payouts/account", headers=creator.auth)
    assert started.status_code == 200, started.text
    url: str = started.json()["onboarding_url"]
    return url


async def onboard(stack: PayoutStack, creator: Account, *, complete: bool = True) -> str:
    """Go through the emulator's hosted onboarding page; the state Stripe then reports."""
    url = await onboarding_url(stack, creator)
    async with httpx.AsyncClient(timeout=30) as browser:
        page = await browser.get(url)
        assert page.status_code == 200, page.text
        done = await browser.post(f"{url}/{'complete' if complete else 'leave'}")
    assert done.status_code == 303
    assert done.headers["location"].endswith("/dashboard?payouts=return")
    expected = "enabled" if complete else "restricted"
    await eventually(lambda: account_state(stack, creator), lambda s: s == expected, within=30)
    return expected


async def account_state(stack: PayoutStack, creator: Account) -> str:
    answer = await stack.api.get("/api/payouts/account", headers=creator.auth)
    state: str = answer.json()["state"]
    return state


async def stripe_account(creator: Account) -> str:
    return (await PayoutAccount.get(user_id=creator.id)).stripe_account_id


async def request_payout(
    stack: PayoutStack, creator: Account, tokens: int, *, key: str | None = None
) -> httpx.Response:
    headers = {**creator.auth, **({"Idempotency-Key": key} if key else {})}
    return await stack.api.post("/api/payouts", json={"tokens": tokens}, headers=headers)


async def payout_reaches(payout_id: str, status: str, *, within: float = 30) -> Payout:
    found: Payout = await eventually(
        lambda: Payout.get(id=uuid.UUID(payout_id)), lambda p: p.status == status, within=within
    )
    return found


async def earnings(stack: PayoutStack, creator: Account) -> dict[str, Any]:
    answer = await stack.api.get("/api/earnings", headers=creator.auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def emulator_list(stack: PayoutStack, what: str, **params: str) -> list[dict[str, Any]]:
    answer = await stack.control.get(f"/_emulator/{what}", params=params)
    assert answer.status_code == 200, answer.text
    data: list[dict[str, Any]] = answer.json()["data"]
    return data
