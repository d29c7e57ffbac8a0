"""Wallet routes: the balance, the ledger entries, and tips."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi

from backend.accounts.auth import authenticated, signed_in_user
from backend.http.openapi import document_errors, document_response
from backend.http.pagination import PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.validation import json_body, query_args
from backend.idempotency.keys import idempotent
from backend.wallet import service, tips
from backend.wallet.schemas import EntryPage, TipIn, TipOut, WalletOut

bp = Blueprint("wallet", url_prefix="/api")

TIPS = RatePolicy("tips", "10/15 minutes", scope="user")


@bp.get("/wallet")
@openapi.definition(summary="Your token balance", tag="wallet")
@document_response(200, WalletOut, "The balance")
@authenticated()
async def wallet(request: Request) -> HTTPResponse:
    balance = await service.wallet_of(signed_in_user(request).id)
    return json_model(balance)


@bp.get("/wallet/entries")
@openapi.definition(summary="Your ledger entries, newest first", tag="wallet")
@document_response(200, EntryPage, "A page of entries")
@document_errors([422])
@authenticated()
@query_args(PageQuery)
async def entries(request: Request, query: PageQuery) -> HTTPResponse:
    page = await service.entries_page(signed_in_user(request).id, query)
    return json_model(page)


@bp.post("/tips")
@openapi.definition(
    summary="Tip a creator with your tokens",
    description="Moves the tokens at once; 409 `insufficient_balance` (with `balance` and "
    "`required` in `details`) when your balance cannot cover it. The creator is notified.",
    tag="wallet",
)
@document_response(201, TipOut, "Tipped")
@document_errors([404, 409, 422, 429])
@authenticated()
@rate_limited(TIPS)
@idempotent()
@json_body(TipIn)
async def send_tip(request: Request, body: TipIn) -> HTTPResponse:
    receipt = await tips.send_tip(signed_in_user(request), body)
    return json_model(receipt, status=201)
