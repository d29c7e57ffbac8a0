"""`/_emulator/...` for Connect: play the bank (fail a payout), the platform's dashboard
(reverse a transfer, set the platform's balance) and Stripe's verification (complete or
restrict an account without the browser), and list what exists. JSON, no API key.
"""

from __future__ import annotations

from typing import Any

from sanic import HTTPResponse, Request, Sanic, json

from tools.stripe_emulator.connect import Connect
from tools.stripe_emulator.control import json_int, request_json
from tools.stripe_emulator.errors import invalid
from tools.stripe_emulator.objects import JSON
from tools.stripe_emulator.store import AccountRecord


def add_connect_control_routes(app: Sanic[Any, Any], connect: Connect) -> None:
    store = connect.store

    @app.post("/_emulator/payouts/<payout_id>/fail", name="control_fail_payout")
    async def fail_payout(request: Request, payout_id: str) -> HTTPResponse:
        code = request_json(request).get("failure_code")
        if code is not None and not isinstance(code, str):
            raise invalid("failure_code must be a string.", param="failure_code")
        return json(connect.fail_payout(payout_id, code))

    @app.post("/_emulator/transfers/<transfer_id>/reverse", name="control_reverse_transfer")
    async def reverse_transfer(request: Request, transfer_id: str) -> HTTPResponse:
        amount = json_int(request_json(request), "amount")
        return json(connect.reverse_transfer(transfer_id, amount=amount))

    @app.post("/_emulator/accounts/<account_id>/onboard", name="control_onboard")
    async def onboard(request: Request, account_id: str) -> HTTPResponse:
        return json(connect.onboard(account_id))

    @app.post("/_emulator/accounts/<account_id>/restrict", name="control_restrict")
    async def restrict(request: Request, account_id: str) -> HTTPResponse:
        return json(connect.restrict(account_id))

    @app.post("/_emulator/balance", name="control_set_balance")
    async def set_balance(request: Request) -> HTTPResponse:
        body = request_json(request)
        if "available" not in body:
            raise invalid('Send {"available": cents} or {"available": null} (unlimited).')
        connect.set_platform_balance(json_int(body, "available"))
        return json({"available": store.platform_available})

    @app.get("/_emulator/balance", name="control_balance")
    async def balance(request: Request) -> HTTPResponse:
        return json({"available": store.platform_available})

    @app.get("/_emulator/accounts", name="control_accounts")
    async def list_accounts(request: Request) -> HTTPResponse:
        found = [_with_balance(record) for record in reversed(store.accounts.values())]
        return json({"object": "list", "data": found})

    @app.get("/_emulator/transfers", name="control_transfers")
    async def list_transfers(request: Request) -> HTTPResponse:
        destination = request.args.get("destination")
        found = [
            transfer
            for transfer in reversed(store.transfers.values())
            if destination is None or transfer["destination"] == destination
        ]
        return json({"object": "list", "data": found})

    @app.get("/_emulator/payouts", name="control_payouts")
    async def list_payouts(request: Request) -> HTTPResponse:
        account = request.args.get("account")
        found = [
            record.payout | {"account": record.account_id}
            for record in reversed(store.payouts.values())
            if account is None or record.account_id == account
        ]
        return json({"object": "list", "data": found})


def _with_balance(record: AccountRecord) -> JSON:
    """The account, and what it holds (what `GET /v1/balance` on it would say is available)."""
    available = [
        {"amount": amount, "currency": currency}
        for currency, amount in sorted(record.balance.items())
    ]
    return record.account | {"balance": {"available": available}}
