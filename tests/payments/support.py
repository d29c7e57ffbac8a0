"""A fan buying tokens, as the web app and Stripe would drive it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tortoise import timezone

from backend.outbox.models import JobStatus, OutboxJob
from backend.payments import inbox
from backend.payments.models import Purchase, StripeEvent
from backend.wallet.models import Entry, Movement, MovementKind
from tests.payments.stack import Stack
from tests.support.accounts import Account
from tests.support.waiting import eventually

SMALL_TOKENS, SMALL_PRICE = 100, 999  # the default "small" package


@dataclass(frozen=True)
class Checkout:
    purchase_id: str
    checkout_url: str
    session: dict[str, Any]

    @property
    def session_id(self) -> str:
        session_id: str = self.session["id"]
        return session_id


async def start_checkout(stack: Stack, fan: Account, package_id: str = "small") -> Checkout:
    response = await stack.api.post(
        "/api/tokens/purchase", json={"package_id": package_id}, headers=fan.auth
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Checkout(
        body["purchase_id"], body["checkout_url"], await session_of(stack, body["purchase_id"])
    )


async def session_of(stack: Stack, purchase_id: str) -> dict[str, Any]:
    response = await stack.control.get(
        "/_emulator/checkout/sessions", params={"client_reference_id": purchase_id}
    )
    [session] = response.json()["data"]
    return dict(session)


async def act(stack: Stack, checkout: Checkout, action: str, **body: Any) -> dict[str, Any]:
    """Play the customer on the hosted page: pay, decline, pay-later, async-payment, expire."""
    response = await stack.control.post(
        f"/_emulator/checkout/sessions/{checkout.session_id}/{action}", json=body or None
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def pay(stack: Stack, checkout: Checkout) -> str:
    """Pay by card; returns the payment intent id."""
    session = await act(stack, checkout, "pay")
    intent: str = session["payment_intent"]
    return intent


async def refund(stack: Stack, intent_id: str, amount: int | None = None) -> dict[str, Any]:
    body = {"amount": amount} if amount is not None else {}
    response = await stack.control.post(f"/_emulator/payment_intents/{intent_id}/refund", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def dispute(stack: Stack, intent_id: str) -> dict[str, Any]:
    response = await stack.control.post(f"/_emulator/payment_intents/{intent_id}/dispute")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def close_dispute(stack: Stack, dispute_id: str, status: str) -> None:
    response = await stack.control.post(
        f"/_emulator/disputes/{dispute_id}/close", json={"status": status}
    )
    assert response.status_code == 200, response.text


async def events(stack: Stack, object_id: str, event_type: str) -> list[dict[str, Any]]:
    """The full events the emulator created about an object, oldest first."""
    response = await stack.control.get(
        "/_emulator/events", params={"type": event_type, "object_id": object_id}
    )
    found = []
    for summary in reversed(response.json()["data"]):
        record = await stack.control.get(f"/_emulator/events/{summary['id']}")
        found.append(dict(record.json()["event"]))
    return found


async def event(stack: Stack, object_id: str, event_type: str) -> dict[str, Any]:
    [only] = await events(stack, object_id, event_type)
    return only


async def stored_unprocessed(event: dict[str, Any], last_error: str) -> StripeEvent:
    """`event` in the inbox, its processing job failed with `last_error`: as if the worker
    had given up on it."""
    job = await OutboxJob.create(
        task=inbox.PROCESS_EVENT, args=[event["id"]], status=JobStatus.FAILED,
        last_error=last_error,
    )  # fmt: skip
    return await StripeEvent.create(
        id=event["id"], type=event["type"], payload=event,
        stripe_created_at=timezone.now(), job_id=job.id,
    )  # fmt: skip


async def purchase(purchase_id: str) -> Purchase:
    return await Purchase.get(id=purchase_id)


async def settled(purchase_id: str, status: str, *, within: float = 30) -> Purchase:
    """The purchase once it has reached `status`."""
    found: Purchase = await eventually(
        lambda: purchase(purchase_id), lambda p: p.status == status, within=within
    )
    return found


async def handled(event_id: str, *, within: float = 30) -> StripeEvent:
    found = await eventually(
        lambda: StripeEvent.get_or_none(id=event_id),
        lambda e: e is not None and e.handled_at is not None,
        within=within,
    )
    assert found is not None
    return found


async def credits(purchase_id: str) -> int:
    return await Movement.filter(
        purchase_id=uuid.UUID(purchase_id), kind=MovementKind.PURCHASE
    ).count()


async def fan_entries(fan: Account) -> list[tuple[str, int]]:
    """The fan's ledger entries, oldest first, as (kind, amount)."""
    rows = await Entry.filter(wallet__owner_id=fan.id).order_by("id")
    return [(row.kind.value, row.amount) for row in rows]
