"""The Connect part of `/v1`: Express accounts, Account Links, transfers and their reversals on
the platform, and payouts on a connected account (`Stripe-Account`). Parameters are read here;
`connect.Connect` owns what they do.
"""

from __future__ import annotations

import re
from typing import Any

import stripe
from loguru import logger
from sanic import Sanic
from stripe.params import (
    AccountCreateParams,
    AccountCreateParamsCapabilities,
    AccountLinkCreateParams,
    PayoutCreateParams,
    TransferCreateParams,
    TransferReversalCreateParams,
)

from tools.stripe_emulator.api import RETRIEVE_PARAMS, ApiCall, add_route
from tools.stripe_emulator.connect import Connect
from tools.stripe_emulator.connect_objects import COUNTRY_CURRENCIES, payout_schedule
from tools.stripe_emulator.errors import invalid, missing_param, no_such, unknown_param
from tools.stripe_emulator.objects import JSON
from tools.stripe_emulator.params import (
    Params,
    metadata,
    optional_email,
    optional_hash,
    optional_int,
    optional_str,
    required_currency,
    required_int,
    required_str,
    required_url,
)

_REQUEST_OPTIONS = set(stripe.RequestOptions.__annotations__)
ACCOUNT_PARAMS = set(AccountCreateParams.__annotations__) - _REQUEST_OPTIONS
ACCOUNT_LINK_PARAMS = set(AccountLinkCreateParams.__annotations__) - _REQUEST_OPTIONS
TRANSFER_PARAMS = set(TransferCreateParams.__annotations__) - _REQUEST_OPTIONS
REVERSAL_PARAMS = set(TransferReversalCreateParams.__annotations__) - _REQUEST_OPTIONS
PAYOUT_PARAMS = set(PayoutCreateParams.__annotations__) - _REQUEST_OPTIONS
CAPABILITIES = set(AccountCreateParamsCapabilities.__annotations__)

ACCOUNT_PARAMS_MODELLED = {
    "type",
    "country",
    "default_currency",
    "email",
    "business_type",
    "business_profile",
    "capabilities",
    "metadata",
    "settings",
    "expand",
}
BUSINESS_TYPES = ("company", "government_entity", "individual", "non_profit")
BUSINESS_PROFILE_FIELDS = (
    "mcc",
    "name",
    "product_description",
    "support_email",
    "support_phone",
    "support_url",
    "url",
)
PAYOUT_INTERVALS = ("daily", "manual", "monthly", "weekly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def add_connect_api_routes(app: Sanic[Any, Any], connect: Connect) -> None:
    emulator = connect.emulator
    store = emulator.store

    def create_account(call: ApiCall) -> JSON:
        return _create_account(connect, call.params)

    def retrieve_account(call: ApiCall) -> JSON:
        account_id = call.path["account_id"]
        if call.account not in (None, account_id):
            raise no_such("account", account_id)
        return store.account(account_id).account

    def create_link(call: ApiCall) -> JSON:
        params = call.params
        kind = required_str(params, "type")
        if kind != "account_onboarding":
            raise invalid(
                f"You cannot create `{kind}` Account Links for Express accounts: use "
                "`account_onboarding` (`account_update` is for accounts whose requirements the "
                "platform collects).",
                param="type",
            )
        return connect.create_link(
            required_str(params, "account"),
            refresh_url=required_url(params, "refresh_url"),
            return_url=required_url(params, "return_url"),
        )

    def create_transfer(call: ApiCall) -> JSON:
        params = call.params
        _log_ignored("transfer", set(params) & {"source_transaction", "source_type"})
        return connect.create_transfer(
            amount=required_int(params, "amount"),
            currency=required_currency(params),
            destination=required_str(params, "destination"),
            description=optional_str(params, "description"),
            metadata=metadata(params),
            transfer_group=optional_str(params, "transfer_group"),
            origin=call.origin,
        )

    def retrieve_transfer(call: ApiCall) -> JSON:
        return store.transfer(call.path["transfer_id"], param="id")

    def create_reversal(call: ApiCall) -> JSON:
        params = call.params
        _log_ignored("reversal", set(params) & {"description", "refund_application_fee"})
        return connect.reverse_transfer(
            call.path["transfer_id"],
            amount=optional_int(params, "amount"),
            metadata=metadata(params),
            origin=call.origin,
        )

    def create_payout(call: ApiCall) -> JSON:
        params = call.params
        assert call.account is not None  # the route is for connected accounts only
        if optional_str(params, "method") not in (None, "standard"):
            raise invalid("The Stripe emulator supports method=standard only.", param="method")
        _log_ignored("payout", set(params) & {"payout_method", "source_type"})
        return connect.create_payout(
            call.account,
            amount=required_int(params, "amount"),
            currency=required_currency(params),
            description=optional_str(params, "description"),
            metadata=metadata(params),
            statement_descriptor=optional_str(params, "statement_descriptor"),
            destination=optional_str(params, "destination"),
            origin=call.origin,
        )

    def retrieve_payout(call: ApiCall) -> JSON:
        return store.payout(call.path["payout_id"], call.account).payout

    def route(*args: Any) -> None:
        add_route(app, emulator, *args)

    route("POST", "/v1/accounts", create_account, ACCOUNT_PARAMS)
    route("GET", "/v1/accounts/<account_id>", retrieve_account, RETRIEVE_PARAMS, "any")
    route("POST", "/v1/account_links", create_link, ACCOUNT_LINK_PARAMS)
    route("POST", "/v1/transfers", create_transfer, TRANSFER_PARAMS)
    route("GET", "/v1/transfers/<transfer_id>", retrieve_transfer, RETRIEVE_PARAMS)
    route("POST", "/v1/transfers/<transfer_id>/reversals", create_reversal, REVERSAL_PARAMS)
    route("POST", "/v1/payouts", create_payout, PAYOUT_PARAMS, "connected")
    route("GET", "/v1/payouts/<payout_id>", retrieve_payout, RETRIEVE_PARAMS, "connected")


def _create_account(connect: Connect, params: Params) -> JSON:
    kind = optional_str(params, "type")
    if kind != "express":
        raise invalid(
            "The Stripe emulator creates Express accounts only: pass type=express.", param="type"
        )
    _log_ignored("account", set(params) - ACCOUNT_PARAMS_MODELLED)
    country = (optional_str(params, "country") or "US").upper()
    business_type = optional_str(params, "business_type")
    if business_type is not None and business_type not in BUSINESS_TYPES:
        raise invalid(
            f"Invalid business_type: must be one of {', '.join(BUSINESS_TYPES)}",
            param="business_type",
        )
    return connect.create_account(
        country=country,
        default_currency=_default_currency(params, country),
        email=optional_email(params, "email"),
        business_type=business_type,
        business_profile=_business_profile(params),
        capabilities=_requested_capabilities(params),
        metadata=metadata(params),
        schedule=_schedule(params),
    )


def _default_currency(params: Params, country: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise invalid(
            f"Country '{country}' is unknown. Try using a 2-character alphanumeric country code "
            "instead, such as 'US', 'EG', or 'GB'.",
            param="country",
        )
    if params.get("default_currency"):
        return required_currency(params, "default_currency")
    if country not in COUNTRY_CURRENCIES:
        raise invalid(
            f"The Stripe emulator knows the default currency of {', '.join(COUNTRY_CURRENCIES)} "
            f"only; pass default_currency for {country}.",
            param="default_currency",
        )
    return COUNTRY_CURRENCIES[country]


def _business_profile(params: Params) -> JSON:
    profile = optional_hash(params, "business_profile")
    return {
        name: optional_str(profile, name, param=f"business_profile[{name}]")
        for name in BUSINESS_PROFILE_FIELDS
        if name in profile
    }


def _requested_capabilities(params: Params) -> list[str]:
    capabilities = optional_hash(params, "capabilities")
    requested: list[str] = []
    for name in capabilities:
        where = f"capabilities[{name}]"
        if name not in CAPABILITIES:
            raise unknown_param(where)
        if optional_hash(capabilities, name, param=where).get("requested") in ("true", True):
            requested.append(name)
    if not requested:
        # Express accounts are created with the capabilities they will need.
        raise missing_param("capabilities")
    return requested


def _schedule(params: Params) -> JSON:
    settings = optional_hash(params, "settings")
    payouts = optional_hash(settings, "payouts", param="settings[payouts]")
    where = "settings[payouts][schedule]"
    schedule = optional_hash(payouts, "schedule", param=where)
    interval = optional_str(schedule, "interval", param=f"{where}[interval]") or "daily"
    if interval not in PAYOUT_INTERVALS:
        raise invalid(
            f"Invalid interval: must be one of {', '.join(PAYOUT_INTERVALS)}",
            param=f"{where}[interval]",
        )
    delay = schedule.get("delay_days")
    delay_days = 2 if delay in (None, "", "minimum") else optional_int(schedule, "delay_days")
    weekly_anchor = optional_str(schedule, "weekly_anchor", param=f"{where}[weekly_anchor]")
    if weekly_anchor is not None and weekly_anchor not in WEEKDAYS:
        raise invalid("Invalid weekly_anchor: must be a day of the week", param=where)
    return payout_schedule(
        interval,
        delay_days=delay_days if delay_days is not None else 2,
        weekly_anchor=weekly_anchor,
        monthly_anchor=optional_int(schedule, "monthly_anchor", param=f"{where}[monthly_anchor]"),
    )


def _log_ignored(what: str, names: set[str]) -> None:
    """Real Stripe parameters the emulator accepts without emulating them."""
    if names:
        logger.warning("{}: accepted but not emulated: {}", what, ", ".join(sorted(names)))
