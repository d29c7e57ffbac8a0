"""What each Stripe event type does to a purchase.

Each handler finds its purchase and locks the row (so events about one payment apply one
at a time), records what the event teaches (payment intent, charge, failure...), then
settles. It returns a short outcome kept on the inbox row. Events that refer to a purchase
not yet known, or not yet credited when they need it to be, raise `EventNotReady`: the job
retries later, the event stays unhandled.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from tortoise.expressions import Q

from backend.outbox.transaction import Transaction
from backend.payments import settlement
from backend.payments.models import Purchase
from backend.payments.stripe_objects import (
    Charge,
    CheckoutSession,
    Dispute,
    PaymentIntent,
    StripeObject,
)
from backend.payouts import events as payout_events

Handler = Callable[[dict[str, Any], Transaction], Awaitable[str]]
Obj = TypeVar("Obj", bound=StripeObject)
NOT_OURS = "ignored: not a Digis purchase"


class EventNotReady(Exception):
    """The event cannot be applied yet (its purchase is unknown or not credited yet)."""


class UnusableEvent(Exception):
    """The event can never be applied as it is (unexpected shape, amounts that disagree)."""


class NotOurs(Exception):
    """The event is about a payment Digis did not start."""


def _parse(model: type[Obj], data: dict[str, Any]) -> Obj:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UnusableEvent(f"unexpected {model.__name__}: {error}") from None


async def _purchase(
    ref: str | None = None, *, payment_intent: str | None = None, charge: str | None = None
) -> Purchase:
    """The purchase the event is about, locked for the rest of the transaction."""
    if ref is not None:
        try:
            purchase_id = uuid.UUID(ref)
        except ValueError:
            raise NotOurs(ref) from None
        found = await Purchase.filter(id=purchase_id).select_for_update().first()
    elif payment_intent or charge:
        known = [Q(payment_intent_id=payment_intent)] if payment_intent else []
        known += [Q(charge_id=charge)] if charge else []
        found = await Purchase.filter(Q(*known, join_type="OR")).select_for_update().first()
    else:
        raise NotOurs("no purchase reference")
    if found is None:
        raise EventNotReady(f"purchase {ref or payment_intent or charge} is not known yet")
    return found


def _learn(purchase: Purchase, *, payment_intent: str | None, charge: str | None = None) -> None:
    purchase.payment_intent_id = purchase.payment_intent_id or payment_intent
    purchase.charge_id = charge or purchase.charge_id


def _check_amount(purchase: Purchase, amount: int | None, currency: str | None) -> None:
    if amount != purchase.amount_cents or (currency or "").lower() != purchase.currency.lower():
        raise UnusableEvent(
            f"purchase {purchase.id} costs {purchase.amount_cents} {purchase.currency}, "
            f"the payment is {amount} {currency}"
        )


async def checkout_completed(data: dict[str, Any], tx: Transaction) -> str:
    session = _parse(CheckoutSession, data)
    purchase = await _purchase(session.purchase_ref)
    _check_amount(purchase, session.amount_total, session.currency)
    _learn(purchase, payment_intent=session.payment_intent)
    if session.payment_status != "paid":
        await settlement.save(purchase)
        return f"awaiting payment ({session.payment_status})"
    return await settlement.credit(purchase, session.payment_intent, tx)


async def checkout_async_failed(data: dict[str, Any], tx: Transaction) -> str:
    session = _parse(CheckoutSession, data)
    purchase = await _purchase(session.purchase_ref)
    _learn(purchase, payment_intent=session.payment_intent)
    purchase.payment_failed = True
    purchase.failure_reason = purchase.failure_reason or "The payment did not go through."
    await settlement.save(purchase)
    return "payment failed"


async def checkout_expired(data: dict[str, Any], tx: Transaction) -> str:
    session = _parse(CheckoutSession, data)
    purchase = await _purchase(session.purchase_ref)
    purchase.session_expired = True
    await settlement.save(purchase)
    return "checkout expired"


async def payment_succeeded(data: dict[str, Any], tx: Transaction) -> str:
    intent = _parse(PaymentIntent, data)
    purchase = await _purchase(intent.purchase_ref, payment_intent=intent.id)
    _check_amount(purchase, intent.amount, intent.currency)
    _learn(purchase, payment_intent=intent.id, charge=intent.latest_charge)
    return await settlement.credit(purchase, intent.id, tx)


async def payment_failed(data: dict[str, Any], tx: Transaction) -> str:
    """A declined attempt: the session stays open (the customer may try another card), so
    the purchase stays pending and shows why."""
    intent = _parse(PaymentIntent, data)
    purchase = await _purchase(intent.purchase_ref, payment_intent=intent.id)
    _learn(purchase, payment_intent=intent.id)
    if purchase.paid_at is None:
        error = intent.last_payment_error
        purchase.failure_reason = (error.message if error else None) or "The payment failed."
    await settlement.save(purchase)
    return "payment attempt failed"


async def charge_refunded(data: dict[str, Any], tx: Transaction) -> str:
    charge = _parse(Charge, data)
    purchase = await _purchase(charge.purchase_ref, payment_intent=charge.payment_intent)
    _learn(purchase, payment_intent=charge.payment_intent, charge=charge.id)
    _require_credit(purchase)
    return await settlement.refund(purchase, charge.amount_refunded, tx)


async def dispute_created(data: dict[str, Any], tx: Transaction) -> str:
    dispute = _parse(Dispute, data)
    purchase = await _purchase(payment_intent=dispute.payment_intent, charge=dispute.charge)
    _require_credit(purchase)
    return await settlement.open_dispute(purchase, dispute.id, dispute.amount, tx)


async def dispute_closed(data: dict[str, Any], tx: Transaction) -> str:
    dispute = _parse(Dispute, data)
    purchase = await _purchase(payment_intent=dispute.payment_intent, charge=dispute.charge)
    _require_credit(purchase)
    # Only a lost dispute keeps the money with the customer ("won" and the closing of an
    # inquiry, "warning_closed", leave it with us).
    won = dispute.status != "lost"
    return await settlement.close_dispute(purchase, dispute.id, dispute.amount, won, tx)


def _require_credit(purchase: Purchase) -> None:
    if purchase.paid_at is None:
        raise EventNotReady(f"purchase {purchase.id} is not credited yet")


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_completed,
    "checkout.session.async_payment_failed": checkout_async_failed,
    "checkout.session.expired": checkout_expired,
    "payment_intent.succeeded": payment_succeeded,
    "payment_intent.payment_failed": payment_failed,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": dispute_created,
    "charge.dispute.closed": dispute_closed,
}


# Events about creators' payout accounts and payouts, which the payouts domain applies
# (they read the whole event: `account.updated` orders its reports by the event's time).
EventHandler = Callable[[dict[str, Any], Transaction], Awaitable[str]]
PAYOUT_HANDLERS: dict[str, EventHandler] = payout_events.HANDLERS


def handles(event_type: str) -> bool:
    return event_type in HANDLERS or event_type in PAYOUT_HANDLERS


async def apply(event_type: str, payload: dict[str, Any], tx: Transaction) -> str:
    """Apply one stored event; returns what it did."""
    payout_handler = PAYOUT_HANDLERS.get(event_type)
    if payout_handler is not None:
        return await payout_handler(payload, tx)
    handler = HANDLERS.get(event_type)
    if handler is None:
        return "ignored: type not handled"
    try:
        return await handler(payload["data"]["object"], tx)
    except NotOurs:
        return NOT_OURS
