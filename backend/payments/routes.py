"""Payment routes: token packages, purchases through Stripe Checkout, the Stripe webhook."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi
from sanic_ext.extensions.openapi.definitions import RequestBody

from backend.accounts.auth import authenticated, signed_in_user
from backend.http.errors import PayloadTooLarge
from backend.http.openapi import document_errors, document_response, public
from backend.http.pagination import PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.sanic_types import App
from backend.http.validation import json_body, query_args
from backend.idempotency.keys import idempotent
from backend.payments import inbox, service
from backend.payments.handlers import handles
from backend.payments.schemas import (
    EXAMPLE_STRIPE_EVENT,
    PackagesOut,
    PurchaseIn,
    PurchaseOut,
    PurchasePage,
    PurchaseStartedOut,
    WebhookAck,
)
from backend.payments.stripe_client import StripeGateway
from backend.payments.webhook import Endpoint, verify_event
from backend.settings import Settings

bp = Blueprint("payments", url_prefix="/api")
Handler = TypeVar("Handler", bound=Callable[..., Awaitable[HTTPResponse]])

PAYMENTS = RatePolicy("payments", "10/15 minutes", scope="user")
# The web app's return page polls one purchase until the webhook has credited it, so a
# purchase's status is read more often than money moves: its own, looser window.
PAYMENT_STATUS = RatePolicy("payment-status", "120/15 minutes", scope="user")
PURCHASE = RatePolicy("token-purchase", "10/15 minutes", scope="user")
MAX_WEBHOOK_BYTES = 512 * 1024
STRIPE_EVENT = RequestBody(
    {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "A Stripe event (https://docs.stripe.com/api/events/object), "
                "as Stripe sends it; unknown event types are acknowledged and ignored.",
                "required": ["id", "type", "created", "data"],
            },
            "example": EXAMPLE_STRIPE_EVENT,
        }
    },
    required=True,
)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


@bp.before_server_start
async def _open_stripe(app: App) -> None:
    app.ctx.stripe = StripeGateway(app.ctx.settings)


@bp.after_server_stop
async def _close_stripe(app: App) -> None:
    await app.ctx.stripe.close()


@bp.get("/tokens/packages")
@openapi.definition(summary="The token packages for sale", tag="payments")
@public()
@document_response(200, PackagesOut, "The packages")
@document_errors([429])
async def token_packages(request: Request) -> HTTPResponse:
    body = PackagesOut(packages=service.packages(_settings(request)))
    return json_model(body)


@bp.post("/tokens/purchase")
@openapi.definition(
    summary="Buy a token package: start a Stripe Checkout",
    description="Send the browser to `checkout_url`. The tokens are credited when Stripe "
    "confirms the payment; poll `GET /api/payments/{purchase_id}` until it is `paid`.",
    tag="payments",
)
@document_response(201, PurchaseStartedOut, "Checkout started")
@document_errors([422, 429, 503])
@authenticated()
@rate_limited(PURCHASE)
@idempotent()
@json_body(PurchaseIn)
async def purchase_tokens(request: Request, body: PurchaseIn) -> HTTPResponse:
    started = await service.start_purchase(
        _settings(request), request.app.ctx.stripe, signed_in_user(request), body.package_id
    )
    return json_model(started, status=201)


@bp.get("/payments")
@openapi.definition(summary="Your purchases, newest first", tag="payments")
@document_response(200, PurchasePage, "A page of purchases")
@document_errors([422, 429])
@authenticated()
@rate_limited(PAYMENTS)
@query_args(PageQuery)
async def list_payments(request: Request, query: PageQuery) -> HTTPResponse:
    page = await service.purchases_page(signed_in_user(request).id, query)
    return json_model(page)


@bp.get("/payments/<purchase_id:uuid>")
@openapi.definition(summary="One of your purchases", tag="payments")
@document_response(200, PurchaseOut, "The purchase")
@document_errors([404, 429])
@authenticated()
@rate_limited(PAYMENT_STATUS)
async def get_payment(request: Request, purchase_id: uuid.UUID) -> HTTPResponse:
    purchase = await service.purchase_of(signed_in_user(request).id, purchase_id)
    return json_model(purchase)


@bp.post("/payments/<purchase_id:uuid>/abandon")
@openapi.definition(
    summary="Give up one of your purchases still waiting for payment",
    description="For the Checkout's cancel URL: the Checkout Session is expired, so it can "
    "no longer be paid, and the purchase becomes `expired`. A purchase already paid or "
    "over is answered unchanged.",
    tag="payments",
)
@document_response(200, PurchaseOut, "The purchase, as it now is")
@document_errors([404, 429, 503])
@authenticated()
@rate_limited(PAYMENTS)
async def abandon_payment(request: Request, purchase_id: uuid.UUID) -> HTTPResponse:
    purchase = await service.abandon_purchase(
        request.app.ctx.stripe, signed_in_user(request).id, purchase_id
    )
    return json_model(purchase)


def _signed_by_stripe(handler: Handler) -> Handler:
    """What both webhook endpoints document: public, a Stripe event, its signature."""
    for document in (
        public(),
        openapi.body(STRIPE_EVENT),
        openapi.parameter(
            "Stripe-Signature",
            str,
            "header",
            required=True,
            description="`t=<unix time>,v1=<HMAC-SHA256 of the body>`, set by Stripe",
        ),
        document_response(200, WebhookAck, "Received"),
        document_errors([400, 413]),
    ):
        handler = document(handler)
    return handler


@bp.post("/webhooks/stripe")
@openapi.definition(
    summary="Stripe webhook endpoint (signed by Stripe)",
    description="Verifies `Stripe-Signature` on the raw body, stores the event once and "
    "answers 200; the event is applied in the background.",
    tag="payments",
)
@_signed_by_stripe
async def stripe_webhook(request: Request) -> HTTPResponse:
    return await _receive(request, Endpoint.PLATFORM)


@bp.post("/webhooks/stripe/connect")
@openapi.definition(
    summary="Stripe Connect webhook endpoint (events about creators' payout accounts)",
    description="Like `/api/webhooks/stripe`, with the Connect endpoint's own signing secret; "
    "every event names its connected `account`.",
    tag="payments",
)
@_signed_by_stripe
async def stripe_connect_webhook(request: Request) -> HTTPResponse:
    return await _receive(request, Endpoint.CONNECT)


async def _receive(request: Request, endpoint: Endpoint) -> HTTPResponse:
    body = request.body or b""
    if len(body) > MAX_WEBHOOK_BYTES:
        raise PayloadTooLarge()
    signature = request.headers.get("stripe-signature")
    event = verify_event(_settings(request), body, signature, endpoint)
    if handles(event.type):
        await inbox.receive(event, body.decode())
    return json_model(WebhookAck())
