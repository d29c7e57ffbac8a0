"""`/_emulator/...`: JSON endpoints that let developers and tests play the customer, the bank
and the dashboard (pay, decline, settle, refund, dispute, resend), and look at what happened.
Connect's are in `connect_control`.

No API key is needed. Errors use Stripe's error body.
"""

from __future__ import annotations

import json as jsonlib
from typing import Any

from sanic import HTTPResponse, Request, Sanic, json

from tools.stripe_emulator.emulator import Emulator
from tools.stripe_emulator.errors import invalid
from tools.stripe_emulator.objects import JSON


def add_control_routes(app: Sanic[Any, Any], emulator: Emulator) -> None:
    store = emulator.store
    sessions = "/_emulator/checkout/sessions/<session_id>"

    @app.post(f"{sessions}/pay", name="control_pay")
    async def pay(request: Request, session_id: str) -> HTTPResponse:
        return json(emulator.pay(session_id))

    @app.post(f"{sessions}/decline", name="control_decline")
    async def decline(request: Request, session_id: str) -> HTTPResponse:
        return json(emulator.decline(session_id))

    @app.post(f"{sessions}/pay-later", name="control_pay_later")
    async def pay_later(request: Request, session_id: str) -> HTTPResponse:
        return json(emulator.pay_later(session_id))

    @app.post(f"{sessions}/async-payment", name="control_async_payment")
    async def async_payment(request: Request, session_id: str) -> HTTPResponse:
        outcome = request_json(request).get("outcome")
        return json(emulator.settle(session_id, outcome if isinstance(outcome, str) else ""))

    @app.post(f"{sessions}/expire", name="control_expire")
    async def expire(request: Request, session_id: str) -> HTTPResponse:
        return json(emulator.expire(session_id))

    @app.get("/_emulator/checkout/sessions", name="control_sessions")
    async def list_sessions(request: Request) -> HTTPResponse:
        found = emulator.sessions_newest_first(request.args.get("client_reference_id"))
        return json({"object": "list", "data": found})

    @app.post("/_emulator/payment_intents/<intent_id>/refund", name="control_refund")
    async def refund(request: Request, intent_id: str) -> HTTPResponse:
        body = request_json(request)
        charge = emulator.paid_charge_of(intent_id, "refund")
        reason = body.get("reason")
        return json(
            emulator.refund(
                charge,
                amount=json_int(body, "amount"),
                reason=reason if isinstance(reason, str) else None,
            )
        )

    @app.post("/_emulator/payment_intents/<intent_id>/dispute", name="control_dispute")
    async def dispute(request: Request, intent_id: str) -> HTTPResponse:
        body = request_json(request)
        reason = body.get("reason")
        return json(
            emulator.dispute(
                intent_id,
                amount=json_int(body, "amount"),
                reason=reason if isinstance(reason, str) else "fraudulent",
            )
        )

    @app.post("/_emulator/disputes/<dispute_id>/close", name="control_close_dispute")
    async def close_dispute(request: Request, dispute_id: str) -> HTTPResponse:
        status = request_json(request).get("status")
        return json(emulator.close_dispute(dispute_id, status if isinstance(status, str) else ""))

    @app.get("/_emulator/events", name="control_events")
    async def list_events(request: Request) -> HTTPResponse:
        kind = request.args.get("type")
        object_id = request.args.get("object_id")
        account = request.args.get("account")
        found = [
            record.summary()
            for record in reversed(store.events.values())
            if (kind is None or record.event["type"] == kind)
            and (object_id is None or record.object_id == object_id)
            and (account is None or record.account == account)
        ]
        return json({"object": "list", "data": found})

    @app.get("/_emulator/events/<event_id>", name="control_event")
    async def show_event(request: Request, event_id: str) -> HTTPResponse:
        record = store.event(event_id)
        return json(record.summary() | {"event": record.event})

    @app.post("/_emulator/events/<event_id>/resend", name="control_resend")
    async def resend(request: Request, event_id: str) -> HTTPResponse:
        return json(emulator.resend(event_id).summary())

    @app.get("/_emulator/health", name="control_health")
    async def health(request: Request) -> HTTPResponse:
        config = emulator.config
        return json(
            {
                "status": "ok",
                "api_version": emulator.api_version,
                "public_url": config.base_url,
                "webhook_url": config.webhook_url,
                "connect_webhook_url": config.connect_webhook_url,
                "sessions": len(store.sessions),
                "accounts": len(store.accounts),
                "payouts": len(store.payouts),
                "events": len(store.events),
            }
        )


def request_json(request: Request) -> JSON:
    if not request.body:
        return {}
    try:
        data = jsonlib.loads(request.body)
    except ValueError as exc:
        raise invalid(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.")
    return data


def json_int(body: JSON, name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{name} must be an integer (in the currency's smallest unit).", param=name)
    return value
