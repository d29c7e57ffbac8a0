"""The `/v1` routes the stripe SDK calls, answering the way Stripe answers.

Every call: a `Bearer sk_...` key (else 401), form-encoded parameters checked against the SDK's
own parameter lists (unknown ones are refused like Stripe refuses them; known ones the emulator
does not model are accepted and logged as ignored), `expand[]`, the `Stripe-Account` header
(a call made on a connected account; an unknown account is 403), and for POSTs the
`Idempotency-Key`, scoped to the account the call is made on. As with Stripe, only successful
results are remembered for a key; a request that failed can be retried with the same key.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import stripe
from loguru import logger
from sanic import HTTPResponse, Request, Sanic, json
from stripe.params import RefundCreateParams
from stripe.params.checkout import SessionCreateParams

from tools.stripe_emulator import errors, objects
from tools.stripe_emulator.emulator import Emulator, Origin
from tools.stripe_emulator.errors import StripeError, invalid, missing_param, no_such
from tools.stripe_emulator.objects import JSON, format_amount, new_id, now
from tools.stripe_emulator.params import (
    Params,
    check_known,
    expand_paths,
    metadata,
    optional_email,
    optional_hash,
    optional_int,
    optional_str,
    optional_url,
    parse_form,
    required_currency,
    required_int,
    required_str,
)
from tools.stripe_emulator.store import IdempotentResult

_REQUEST_OPTIONS = set(stripe.RequestOptions.__annotations__)
SESSION_PARAMS = set(SessionCreateParams.__annotations__) - _REQUEST_OPTIONS
REFUND_PARAMS = set(RefundCreateParams.__annotations__) - _REQUEST_OPTIONS
SESSION_PARAMS_MODELLED = {
    "mode",
    "line_items",
    "success_url",
    "cancel_url",
    "client_reference_id",
    "customer_email",
    "metadata",
    "payment_intent_data",
    "expires_at",
    "expand",
    "ui_mode",
}
RETRIEVE_PARAMS = {"expand"}
LIST_PARAMS = {"expand", "limit", "starting_after", "ending_before"}
MIN_EXPIRY = 30 * 60
MAX_EXPIRY = 24 * 3600
MAX_UNIT_AMOUNT = 99_999_999
MIN_CHARGE = 50  # in the currency's smallest unit; Stripe's minimum is $0.50 or equivalent


# Which calls may be made on a connected account (`Stripe-Account`): "platform" ones are the
# platform's own (the emulator models them only there), "connected" ones need the header.
AccountScope = Literal["platform", "connected", "any"]


@dataclass(frozen=True)
class ApiCall:
    params: Params
    origin: Origin
    path: dict[str, str]
    # The `Stripe-Account` header: the connected account the call is made on, if any.
    account: str | None = None


Handler = Callable[[ApiCall], JSON]


@dataclass(frozen=True)
class _Route:
    handler: Handler
    known: set[str]
    scope: AccountScope


def add_route(
    app: Sanic[Any, Any],
    emulator: Emulator,
    method: str,
    path: str,
    handler: Handler,
    known: set[str],
    scope: AccountScope = "platform",
) -> None:
    """Serve `handler` at `method path` the way Stripe serves its API (see the module doc)."""

    async def endpoint(request: Request, **path_args: str) -> HTTPResponse:
        return _respond(emulator, request, _Route(handler, known, scope), path_args)

    name = "api_" + re.sub(r"\W+", "_", f"{method}_{path}").strip("_")
    app.add_route(endpoint, path, methods=[method], name=name)


def add_api_routes(app: Sanic[Any, Any], emulator: Emulator) -> None:
    store = emulator.store

    def route(method: str, path: str, handler: Handler, known: set[str]) -> None:
        add_route(app, emulator, method, path, handler, known)

    def create_session(call: ApiCall) -> JSON:
        return _create_session(emulator, call.params)

    def retrieve_session(call: ApiCall) -> JSON:
        return store.session(call.path["session_id"]).session

    def list_line_items(call: ApiCall) -> JSON:
        record = store.session(call.path["session_id"])
        return objects.line_item_list(record.session["id"], record.line_items)

    def expire_session(call: ApiCall) -> JSON:
        return emulator.expire(call.path["session_id"], call.origin)

    def retrieve(kind: str) -> Handler:
        def handler(call: ApiCall) -> JSON:
            object_id = call.path["object_id"]
            if kind == "payment_intent":
                return store.payment_intent(object_id)
            if kind == "charge":
                return store.charge(object_id)
            if kind == "refund":
                return store.refund(object_id)
            if kind == "dispute":
                return store.dispute(object_id)
            return _event_of(emulator, object_id, call.account)

        return handler

    def create_refund(call: ApiCall) -> JSON:
        params = call.params
        charge_id = optional_str(params, "charge")
        intent_id = optional_str(params, "payment_intent")
        if charge_id:
            charge = store.charge(charge_id)
            if intent_id and charge["payment_intent"] != intent_id:
                raise invalid(
                    f"Charge {charge_id} does not belong to PaymentIntent {intent_id}.",
                    param="payment_intent",
                )
        elif intent_id:
            charge = emulator.paid_charge_of(intent_id, "refund")
        else:
            raise invalid(
                "One of the following params should be provided for this request: "
                "payment_intent or charge."
            )
        return emulator.refund(
            charge,
            amount=optional_int(params, "amount"),
            reason=optional_str(params, "reason"),
            metadata=metadata(params),
            origin=call.origin,
        )

    route("POST", "/v1/checkout/sessions", create_session, SESSION_PARAMS)
    route("GET", "/v1/checkout/sessions/<session_id>", retrieve_session, RETRIEVE_PARAMS)
    route("GET", "/v1/checkout/sessions/<session_id>/line_items", list_line_items, LIST_PARAMS)
    route("POST", "/v1/checkout/sessions/<session_id>/expire", expire_session, RETRIEVE_PARAMS)
    intent_params = RETRIEVE_PARAMS | {"client_secret"}
    route("GET", "/v1/payment_intents/<object_id>", retrieve("payment_intent"), intent_params)
    route("GET", "/v1/charges/<object_id>", retrieve("charge"), RETRIEVE_PARAMS)
    route("POST", "/v1/refunds", create_refund, REFUND_PARAMS)
    route("GET", "/v1/refunds/<object_id>", retrieve("refund"), RETRIEVE_PARAMS)
    route("GET", "/v1/disputes/<object_id>", retrieve("dispute"), RETRIEVE_PARAMS)
    add_route(
        app, emulator, "GET", "/v1/events/<object_id>", retrieve("event"), RETRIEVE_PARAMS, "any"
    )


def _event_of(emulator: Emulator, event_id: str, account: str | None) -> JSON:
    """A Connect event is found with its account's `Stripe-Account`, a platform event without."""
    record = emulator.store.event(event_id)
    if record.account != account:
        raise no_such("event", event_id)
    return record.event


def _respond(
    emulator: Emulator,
    request: Request,
    route: _Route,
    path_args: dict[str, str],
) -> HTTPResponse:
    request_id = new_id("req_", 14)
    headers = {
        "Request-Id": request_id,
        "Stripe-Version": request.headers.get("Stripe-Version") or emulator.api_version,
    }
    endpoint = f"{request.method} {request.path}"
    try:
        api_key = _authenticate(request)
        account = _connected_account(emulator, request, api_key, route.scope)
        is_post = request.method == "POST"
        params = parse_form(request.body.decode() if is_post else request.query_string)
        check_known(params, route.known)
        key = request.headers.get("Idempotency-Key") if is_post else None
        scoped_key = (api_key, key or "", *([account] if account else []))
        if key:
            headers["Idempotency-Key"] = key
            saved = emulator.store.idempotency.get(scoped_key)
            if saved is not None:
                if saved.endpoint != endpoint:
                    raise errors.idempotency_other_endpoint(key, saved.endpoint, endpoint)
                if saved.params != params:
                    raise errors.idempotency_mismatch(key)
                logger.info("{} -> {} (idempotent replay of {})", endpoint, saved.status, key)
                headers |= {"Idempotent-Replayed": "true", "Original-Request": saved.request_id}
                return json(saved.body, saved.status, headers=headers)
        found = route.handler(ApiCall(params, Origin(request_id, key), path_args, account))
        result = _expand(emulator, found, expand_paths(params))
        if key:
            emulator.store.idempotency[scoped_key] = IdempotentResult(
                endpoint, params, 200, copy.deepcopy(result), request_id
            )
    except StripeError as error:
        logger.info("{} -> {} {}", endpoint, error.status, error.message)
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="Stripe"'
        return json(error.body(), error.status, headers=headers)
    logger.info("{} -> 200", endpoint)
    return json(result, headers=headers)


def _authenticate(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if not header or scheme.lower() != "bearer" or not key.strip():
        raise errors.missing_api_key()
    key = key.strip()
    if not key.startswith("sk_"):
        raise errors.invalid_api_key(key)
    return key


def _connected_account(
    emulator: Emulator, request: Request, api_key: str, scope: AccountScope
) -> str | None:
    account = request.headers.get("Stripe-Account", "").strip() or None
    if account is not None and account not in emulator.store.accounts:
        raise errors.account_invalid(api_key, account)
    endpoint = f"{request.method} {request.path}"
    if account is not None and scope == "platform":
        raise invalid(
            f"The Stripe emulator models {endpoint} on the platform only: leave out the "
            "Stripe-Account header (the SDK's `stripe_account` option)."
        )
    if account is None and scope == "connected":
        raise invalid(
            f"The Stripe emulator models {endpoint} on connected accounts only: send the "
            "Stripe-Account header (options={'stripe_account': 'acct_...'})."
        )
    return account


# --- POST /v1/checkout/sessions ----------------------------------------------------------------


def _create_session(emulator: Emulator, params: Params) -> JSON:
    mode = required_str(params, "mode")
    if mode != "payment":
        raise invalid(f"The Stripe emulator supports mode=payment only, not {mode}.", param="mode")
    if optional_str(params, "ui_mode") not in (None, "hosted"):
        raise invalid("The Stripe emulator supports ui_mode=hosted only.", param="ui_mode")
    ignored = sorted(set(params) - SESSION_PARAMS_MODELLED)
    if ignored:
        logger.warning("checkout session: accepted but not emulated: {}", ", ".join(ignored))

    raw_items = params.get("line_items")
    if not raw_items:
        raise missing_param("line_items")
    if not isinstance(raw_items, list):
        raise invalid("Invalid array", param="line_items")
    created = now()
    items = [_line_item(raw, f"line_items[{i}]", created) for i, raw in enumerate(raw_items)]
    currencies = {item["currency"] for item in items}
    if len(currencies) > 1:
        raise invalid(
            "All line items must use the same currency; got " + ", ".join(sorted(currencies)),
            param="line_items",
        )
    currency = items[0]["currency"]
    total = sum(item["amount_total"] for item in items)
    if total < MIN_CHARGE:
        minimum = format_amount(MIN_CHARGE, currency)
        raise invalid(
            f"The Checkout Session's total amount due must add up to at least {minimum} {currency}",
            param="line_items",
        )

    customer_email = optional_email(params, "customer_email")
    client_reference_id = optional_str(params, "client_reference_id")
    if client_reference_id is not None and len(client_reference_id) > 200:
        raise invalid(
            "client_reference_id can be at most 200 characters.", param="client_reference_id"
        )
    expires_at = optional_int(params, "expires_at")
    if expires_at is not None:
        if expires_at < created + MIN_EXPIRY - 5:
            raise invalid(
                "The `expires_at` timestamp must be at least 30 minutes from Checkout Session "
                "creation.",
                param="expires_at",
            )
        if expires_at > created + MAX_EXPIRY + 5:
            raise invalid(
                "The `expires_at` timestamp must be less than 24 hours from Checkout Session "
                "creation.",
                param="expires_at",
            )
    intent_data = optional_hash(params, "payment_intent_data")
    record = emulator.create_session(
        line_items=items,
        success_url=optional_url(params, "success_url"),
        cancel_url=optional_url(params, "cancel_url"),
        client_reference_id=client_reference_id,
        customer_email=customer_email,
        metadata=metadata(params),
        intent_metadata=metadata(intent_data, param="payment_intent_data[metadata]"),
        intent_description=optional_str(
            intent_data, "description", param="payment_intent_data[description]"
        ),
        expires_at=expires_at,
    )
    return record.session


def _line_item(raw: Any, where: str, created: int) -> JSON:
    if not isinstance(raw, dict):
        raise invalid("Invalid object", param=where)
    if raw.get("price"):
        # Only ad-hoc prices exist here; a Price id from a real account cannot be known.
        raise no_such("price", str(raw["price"]), param=f"{where}[price]")
    price_data = optional_hash(raw, "price_data", param=f"{where}[price_data]")
    if not price_data:
        raise missing_param(f"{where}[price_data]")
    currency = required_currency(price_data, "currency", param=f"{where}[price_data][currency]")
    unit_amount = _unit_amount(price_data, f"{where}[price_data]")
    if price_data.get("product"):
        raise no_such("product", str(price_data["product"]), param=f"{where}[price_data][product]")
    product_data = optional_hash(
        price_data, "product_data", param=f"{where}[price_data][product_data]"
    )
    name = required_str(product_data, "name", param=f"{where}[price_data][product_data][name]")
    quantity = required_int(raw, "quantity", param=f"{where}[quantity]")
    if quantity < 1:
        raise invalid(
            "This value must be greater than or equal to 1.",
            param=f"{where}[quantity]",
            code="parameter_invalid_integer",
        )
    return objects.line_item(
        currency=currency,
        unit_amount=unit_amount,
        quantity=quantity,
        product_name=name,
        created=created,
    )


def _unit_amount(price_data: Params, where: str) -> int:
    amount = optional_int(price_data, "unit_amount", param=f"{where}[unit_amount]")
    if amount is None:
        decimal = optional_str(
            price_data, "unit_amount_decimal", param=f"{where}[unit_amount_decimal]"
        )
        if decimal is None:
            raise missing_param(f"{where}[unit_amount]")
        try:
            value = Decimal(decimal)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value != value.to_integral_value():
            raise invalid(
                "The emulator supports whole unit_amount_decimal values only.",
                param=f"{where}[unit_amount_decimal]",
            )
        amount = int(value)
    if amount < 0:
        raise invalid(
            "This value must be greater than or equal to 0.",
            param=f"{where}[unit_amount]",
            code="parameter_invalid_integer",
        )
    if amount > MAX_UNIT_AMOUNT:
        raise invalid(
            f"This value must be less than or equal to {MAX_UNIT_AMOUNT}.",
            param=f"{where}[unit_amount]",
        )
    return amount


# --- expand[] ------------------------------------------------------------------------------------


def _expand(emulator: Emulator, result: JSON, paths: list[str]) -> JSON:
    if not paths:
        return result
    expanded = copy.deepcopy(result)
    for path in paths:
        _expand_path(emulator, expanded, path.split("."), path)
    return expanded


def _expand_path(emulator: Emulator, target: JSON, parts: list[str], path: str) -> None:
    store = emulator.store
    field, rest = parts[0], parts[1:]
    kind = target.get("object")
    lookups: dict[tuple[Any, str], Callable[[str], JSON]] = {
        ("checkout.session", "payment_intent"): store.payment_intent,
        ("payment_intent", "latest_charge"): store.charge,
        ("charge", "payment_intent"): store.payment_intent,
        ("refund", "charge"): store.charge,
        ("refund", "payment_intent"): store.payment_intent,
        ("dispute", "charge"): store.charge,
        ("dispute", "payment_intent"): store.payment_intent,
        ("transfer", "destination"): lambda account_id: store.account(account_id).account,
        ("transfer_reversal", "transfer"): store.transfer,
    }
    if kind == "checkout.session" and field == "line_items":
        record = store.session(target["id"])
        target["line_items"] = objects.line_item_list(target["id"], record.line_items)
    elif (kind, field) in lookups and field in target:
        if isinstance(target[field], str):
            target[field] = copy.deepcopy(lookups[(kind, field)](target[field]))
    else:
        raise invalid(f"This property cannot be expanded ({path}).", param="expand")
    child = target[field]
    if rest and isinstance(child, dict):
        _expand_path(emulator, child, rest, path)
