"""Token packages and purchases: start a Checkout, list and read purchases."""

from __future__ import annotations

import uuid
from datetime import timedelta

from loguru import logger
from tortoise import timezone
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.http.errors import NotFound, ServiceUnavailable, field_error
from backend.http.pagination import PageQuery, decode_time_cursor, encode_time_cursor
from backend.idempotency.keys import remember_reply
from backend.payments import settlement
from backend.payments.models import Purchase, PurchaseStatus
from backend.payments.schemas import (
    PackageOut,
    PurchaseOut,
    PurchasePage,
    PurchaseStartedOut,
)
from backend.payments.stripe_client import CheckoutRequest, PaymentProviderError, StripeGateway
from backend.settings import Settings, TokenPackage


def packages(settings: Settings) -> list[PackageOut]:
    return [PackageOut.model_validate(package.model_dump()) for package in settings.token_packages]


def _package(settings: Settings, package_id: str) -> TokenPackage:
    for package in settings.token_packages:
        if package.id == package_id:
            return package
    raise field_error("package_id", "There is no token package with this id.")


async def start_purchase(
    settings: Settings, stripe: StripeGateway, user: User, package_id: str
) -> PurchaseStartedOut:
    """Record a pending purchase, then open its Checkout Session."""
    package = _package(settings, package_id)
    purchase = await Purchase.create(
        user_id=user.id,
        package_id=package.id,
        tokens=package.tokens,
        amount_cents=package.price_cents,
        currency=package.currency.lower(),
    )
    try:
        session = await stripe.create_checkout_session(
            _checkout_request(settings, user, purchase, package)
        )
    except PaymentProviderError as error:
        logger.warning("checkout for purchase {} could not start: {}", purchase.id, error)
        purchase.payment_failed = True
        purchase.failure_reason = "The payment could not be started."
        await settlement.save(purchase)
        raise ServiceUnavailable(
            "Payments are unavailable right now; try again in a moment.",
            code="payment_provider_unavailable",
        ) from error
    started = PurchaseStartedOut(purchase_id=purchase.id, checkout_url=session.url)
    async with in_transaction():
        purchase.checkout_session_id = session.id
        purchase.checkout_url = session.url
        await purchase.save(update_fields=["checkout_session_id", "checkout_url", "updated_at"])
        await remember_reply(201, started)
    return started


def _checkout_request(
    settings: Settings, user: User, purchase: Purchase, package: TokenPackage
) -> CheckoutRequest:
    back = f"{str(settings.frontend_url).rstrip('/')}/wallet/return?purchase={purchase.id}"
    expires = timezone.now() + timedelta(minutes=settings.checkout_expires_minutes)
    return CheckoutRequest(
        purchase_id=str(purchase.id),
        amount_cents=purchase.amount_cents,
        currency=purchase.currency,
        product_name=package.label,
        customer_email=user.email,
        success_url=back + "&session_id={CHECKOUT_SESSION_ID}",
        cancel_url=back + "&cancelled=1",
        expires_at=int(expires.timestamp()),
    )


async def purchases_page(user_id: uuid.UUID, query: PageQuery) -> PurchasePage:
    """The user's purchases, newest first (keyset on created_at, id)."""
    rows = Purchase.filter(user_id=user_id)
    after = decode_time_cursor(query.cursor)
    if after is not None:
        created_at, purchase_id = after
        rows = rows.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=purchase_id)
        )
    found = await rows.order_by("-created_at", "-id").limit(query.limit + 1)
    page = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        next_cursor = encode_time_cursor(page[-1].created_at, page[-1].id)
    return PurchasePage(
        items=[PurchaseOut.model_validate(row) for row in page], next_cursor=next_cursor
    )


async def abandon_purchase(
    stripe: StripeGateway, user_id: uuid.UUID, purchase_id: uuid.UUID
) -> PurchaseOut:
    """The fan came back from Checkout without paying: close the session so that it can no
    longer be paid, and the purchase ends `expired` (Stripe confirms it with
    `checkout.session.expired`). A purchase paid meanwhile, or already over, is unchanged."""
    purchase = await _own_purchase(user_id, purchase_id)
    if purchase.status != PurchaseStatus.PENDING or purchase.checkout_session_id is None:
        return PurchaseOut.model_validate(purchase)
    try:
        expired = await stripe.expire_checkout_session(purchase.checkout_session_id)
    except PaymentProviderError as error:
        logger.warning("checkout {} not expired: {}", purchase.checkout_session_id, error)
        raise ServiceUnavailable(
            "Payments are unavailable right now; try again in a moment.",
            code="payment_provider_unavailable",
        ) from error
    async with in_transaction():
        purchase = await Purchase.filter(id=purchase.id).select_for_update().get()
        if expired and purchase.paid_at is None:
            purchase.session_expired = True
            await settlement.save(purchase)
    return PurchaseOut.model_validate(purchase)


async def _own_purchase(user_id: uuid.UUID, purchase_id: uuid.UUID) -> Purchase:
    purchase = await Purchase.get_or_none(id=purchase_id, user_id=user_id)
    if purchase is None:
        raise NotFound("There is no such purchase.")
    return purchase


async def purchase_of(user_id: uuid.UUID, purchase_id: uuid.UUID) -> PurchaseOut:
    return PurchaseOut.model_validate(await _own_purchase(user_id, purchase_id))
