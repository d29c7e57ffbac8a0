"""Creators' money: earnings, supporters and tips received, the payout account and payouts."""

from __future__ import annotations

from datetime import datetime

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi
from tortoise import timezone

from backend.accounts.auth import authenticated, signed_in_user
from backend.accounts.roles import Role
from backend.http.openapi import document_errors, document_response
from backend.http.pagination import PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.validation import json_body, query_args
from backend.idempotency.keys import idempotent
from backend.payouts import accounts, service
from backend.payouts.connect import Connect
from backend.payouts.schemas import (
    DailyEarningsOut,
    DailyQuery,
    EarningsOut,
    OnboardingOut,
    PayoutAccountOut,
    PayoutIn,
    PayoutOut,
    PayoutPage,
    ReceivedTipPage,
    SupportersOut,
    SupportersQuery,
)
from backend.settings import Settings

bp = Blueprint("payouts", url_prefix="/api")

PAYOUT_REQUESTS = RatePolicy("payout-requests", "20/hour", scope="user")
ONBOARDING = RatePolicy("payout-onboarding", "30/hour", scope="user")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


def _now(request: Request) -> datetime:
    """The API's clock (a test may give the app its own)."""
    clock = getattr(request.app.ctx, "clock", None)
    now: datetime = clock() if clock is not None else timezone.now()
    return now


def _connect(request: Request) -> Connect:
    return Connect(request.app.ctx.stripe.client)


@bp.get("/earnings")
@openapi.definition(
    summary="Your earnings: available, on hold and lifetime, in tokens and money",
    description="Tokens received (tips, unlocks) are on hold for `hold_days`, then available "
    "to pay out at `token_payout_cents` each.",
    tag="payouts",
)
@document_response(200, EarningsOut, "Your earnings")
@document_errors([403])
@authenticated(Role.CREATOR)
async def earnings(request: Request) -> HTTPResponse:
    user = signed_in_user(request)
    return json_model(await service.earnings_summary(_settings(request), user, _now(request)))


@bp.get("/earnings/daily")
@openapi.definition(summary="Tokens you received per day (UTC), oldest first", tag="payouts")
@document_response(200, DailyEarningsOut, "One entry per day")
@document_errors([403, 422])
@authenticated(Role.CREATOR)
@query_args(DailyQuery)
async def daily_earnings(request: Request, query: DailyQuery) -> HTTPResponse:
    user = signed_in_user(request)
    return json_model(await service.daily_earnings(user, _now(request), query.days))


@bp.get("/earnings/supporters")
@openapi.definition(summary="Your top supporters, with what they gave", tag="payouts")
@document_response(200, SupportersOut, "Most tokens first")
@document_errors([403, 422])
@authenticated(Role.CREATOR)
@query_args(SupportersQuery)
async def top_supporters(request: Request, query: SupportersQuery) -> HTTPResponse:
    return json_model(await service.supporters(signed_in_user(request), query.limit))


@bp.get("/earnings/tips")
@openapi.definition(summary="Tips you received, newest first, with their messages", tag="payouts")
@document_response(200, ReceivedTipPage, "A page of tips")
@document_errors([403, 422])
@authenticated(Role.CREATOR)
@query_args(PageQuery)
async def received_tips(request: Request, query: PageQuery) -> HTTPResponse:
    return json_model(await service.received_tips(signed_in_user(request), query))


@bp.get("/payouts/account")
@openapi.definition(
    summary="Your payout account's state, as Stripe last reported it",
    description="`none` before setting up payouts; `onboarding` until Stripe's forms are "
    "done; `restricted` while Stripe needs more (`requirements_due`); `enabled`.",
    tag="payouts",
)
@document_response(200, PayoutAccountOut, "The payout account")
@document_errors([403])
@authenticated(Role.CREATOR)
async def payout_account(request: Request) -> HTTPResponse:
    return json_model(await accounts.account_of(signed_in_user(request)))


@bp.post("/payouts/account")
@openapi.definition(
    summary="Set up payouts: your Stripe account (made once) and a link to its onboarding",
    description="Send the browser to `onboarding_url`; Stripe sends it back to the dashboard. "
    "Calling again gives a fresh link to the same account.",
    tag="payouts",
)
@document_response(200, OnboardingOut, "The account and its onboarding link")
@document_errors([403, 429, 503])
@authenticated(Role.CREATOR)
@rate_limited(ONBOARDING)
async def start_onboarding(request: Request) -> HTTPResponse:
    onboarding = await accounts.start_onboarding(
        _settings(request), _connect(request), signed_in_user(request)
    )
    return json_model(onboarding)


@bp.post("/payouts")
@openapi.definition(
    summary="Request a payout of available tokens",
    description="The tokens leave your balance now; the money goes to your bank through "
    "Stripe. 409 `insufficient_earnings` (with `available_tokens`) when fewer are available; "
    "409 `payouts_not_enabled` before the payout account is enabled.",
    tag="payouts",
)
@document_response(201, PayoutOut, "Requested")
@document_errors([403, 409, 422, 429])
@authenticated(Role.CREATOR)
@rate_limited(PAYOUT_REQUESTS)
@idempotent()
@json_body(PayoutIn)
async def request_payout(request: Request, body: PayoutIn) -> HTTPResponse:
    payout = await service.request_payout(
        _settings(request), signed_in_user(request), body.tokens, _now(request)
    )
    return json_model(payout, status=201)


@bp.get("/payouts")
@openapi.definition(summary="Your payouts, newest first, with their status", tag="payouts")
@document_response(200, PayoutPage, "A page of payouts")
@document_errors([403, 422])
@authenticated(Role.CREATOR)
@query_args(PageQuery)
async def list_payouts(request: Request, query: PageQuery) -> HTTPResponse:
    return json_model(await service.payouts_page(signed_in_user(request), query))
