"""A new fan, end to end: pay on the hosted checkout page, tip, get refunded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.notifications.models import Notification
from backend.payments.models import StripeEvent
from tests.payments.stack import Stack
from tests.payments.support import events
from tests.support.accounts import signup
from tests.support.database import ROOT
from tests.support.waiting import eventually
from tests.support.worker import Process

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


def reconcile_command() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "digis"), "ledger", "reconcile"],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, check=False,
    )  # fmt: skip


async def get_json(api: httpx.AsyncClient, path: str, headers: dict[str, str]) -> Any:
    response = await api.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_buy_on_the_checkout_page_tip_then_be_refunded(stack: Stack, worker: Process) -> None:
    fan = await signup(stack.api, role="fan")
    creator = await signup(stack.api, role="creator")
    [package, *_] = (await get_json(stack.api, "/api/tokens/packages", {}))["packages"]
    started = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": package["id"]}, headers=fan.auth
    )
    assert started.status_code == 201
    purchase_id, checkout_url = started.json()["purchase_id"], started.json()["checkout_url"]

    # The hosted page, as the browser gets it, then its Pay button.
    async with httpx.AsyncClient(timeout=30) as browser:
        page = await browser.get(checkout_url)
        assert page.status_code == 200
        assert 'data-testid="pay-button"' in page.text
        paid = await browser.post(f"{checkout_url}/pay", follow_redirects=False)
    assert paid.status_code == 303
    assert paid.headers["location"].startswith(
        f"http://localhost:5173/wallet/return?purchase={purchase_id}&session_id=cs_"
    )

    # The return page polls the purchase until it is paid.
    seen = await eventually(
        lambda: get_json(stack.api, f"/api/payments/{purchase_id}", fan.auth),
        lambda body: body["status"] == "paid",
    )
    assert seen["tokens"] == package["tokens"]
    wallet = await get_json(stack.api, "/api/wallet", fan.auth)
    assert wallet == {"balance": package["tokens"]}

    # The emulator resends every event of the payment: nothing changes.
    session_id = paid.headers["location"].rsplit("session_id=", 1)[1]
    [completed] = await events(stack, session_id, "checkout.session.completed")
    intent = completed["data"]["object"]["payment_intent"]
    [succeeded] = await events(stack, intent, "payment_intent.succeeded")
    for event in (completed, succeeded):
        assert (await stack.control.post(f"/_emulator/events/{event['id']}/resend")).is_success
    await eventually(
        lambda: StripeEvent.filter(id__in=[completed["id"], succeeded["id"]], deliveries=2).count(),
        lambda delivered_twice: delivered_twice == 2,
    )
    assert await get_json(stack.api, "/api/wallet", fan.auth) == wallet

    tipped = await stack.api.post(
        "/api/tips",
        json={"creator": creator.handle, "amount": 25, "message": "thanks!"},
        headers=fan.auth,
    )
    assert tipped.status_code == 201
    assert tipped.json()["balance"] == package["tokens"] - 25

    refund = await stack.control.post(f"/_emulator/payment_intents/{intent}/refund", json={})
    assert refund.status_code == 200

    refunded = await eventually(
        lambda: get_json(stack.api, f"/api/payments/{purchase_id}", fan.auth),
        lambda body: body["status"] == "refunded",
    )
    assert refunded["tokens_refunded"] == package["tokens"]
    assert await get_json(stack.api, "/api/wallet", fan.auth) == {"balance": -25}
    entries = (await get_json(stack.api, "/api/wallet/entries", fan.auth))["items"]
    assert [(e["kind"], e["amount"]) for e in entries] == [
        ("refund", -package["tokens"]),
        ("tip_sent", -25),
        ("purchase", package["tokens"]),
    ]
    assert await get_json(stack.api, "/api/wallet", creator.auth) == {"balance": 25}
    fan_notices = await eventually(
        lambda: Notification.filter(recipient_id=fan.id).order_by("id"),
        lambda found: len(found) == 2,
    )
    assert [notice.kind for notice in fan_notices] == ["purchase", "refund"]
    creator_notice = await eventually(lambda: Notification.filter(recipient_id=creator.id).first())
    assert creator_notice is not None
    assert creator_notice.kind == "tip"

    reconciled = reconcile_command()
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    assert reconciled.stdout.startswith("ledger is consistent")
