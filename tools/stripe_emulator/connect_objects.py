"""Stripe Connect objects: Express accounts, account links, transfers and their reversals,
payouts, and the bank account payouts go to.

Written by hand after Stripe's API reference (the Account, Account Link, Transfer, Transfer
Reversal and Payout objects); the fixtures file has no Connect objects. Fields the emulator
does not model carry the values Stripe returns for a new US Express account in test mode.
"""

from __future__ import annotations

import copy
from typing import Literal

from tools.stripe_emulator.objects import JSON, new_id

DAY = 24 * 3600
TEST_BANK_LAST4 = "6789"
TEST_ACCOUNT_HOLDER = "Jenny Rosen"

# Stripe's country -> default currency, for the countries the emulator knows.
COUNTRY_CURRENCIES = {"US": "usd", "CA": "cad", "GB": "gbp", "AU": "aud", "IE": "eur"}

# What a new Express account owes before it can be paid out (Stripe asks all of it at once:
# the fields are past due from the start, which is why the account is restricted).
_INDIVIDUAL_FIELDS = [
    "business_profile.mcc",
    "business_profile.url",
    "external_account",
    "individual.address.city",
    "individual.address.line1",
    "individual.address.postal_code",
    "individual.address.state",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.email",
    "individual.first_name",
    "individual.last_name",
    "individual.phone",
    "individual.ssn_last_4",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]
_COMPANY_FIELDS = [
    "business_profile.mcc",
    "business_profile.url",
    "company.address.city",
    "company.address.line1",
    "company.address.postal_code",
    "company.address.state",
    "company.name",
    "company.phone",
    "company.tax_id",
    "external_account",
    "representative.dob.day",
    "representative.dob.month",
    "representative.dob.year",
    "representative.email",
    "representative.first_name",
    "representative.last_name",
    "representative.phone",
    "representative.ssn_last_4",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]
# Left after "Leave for later": the personal details are in, the bank account and terms not.
_UNFINISHED_FIELDS = {
    "individual": [
        "external_account",
        "individual.ssn_last_4",
        "tos_acceptance.date",
        "tos_acceptance.ip",
    ],
    "company": ["company.tax_id", "external_account", "tos_acceptance.date", "tos_acceptance.ip"],
}
# What Stripe asks for again when it restricts an account that was enabled.
_ATTENTION_FIELDS = {
    "individual": ["individual.verification.document"],
    "company": ["representative.verification.document"],
}

AccountStatus = Literal["new", "unfinished", "enabled", "restricted"]


def requirements(status: AccountStatus, business_type: str | None) -> JSON:
    """`requirements` (and, empty, `future_requirements`) for an account in `status`."""
    kind = "individual" if business_type in (None, "individual") else "company"
    due: list[str] = {
        "new": _INDIVIDUAL_FIELDS if kind == "individual" else _COMPANY_FIELDS,
        "unfinished": _UNFINISHED_FIELDS[kind],
        "restricted": _ATTENTION_FIELDS[kind],
        "enabled": [],
    }[status]
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(due),
        "disabled_reason": "requirements.past_due" if due else None,
        "errors": [],
        "eventually_due": list(due),
        "past_due": list(due),
        "pending_verification": [],
    }


def payout_schedule(
    interval: str, *, delay_days: int = 2, weekly_anchor: str | None, monthly_anchor: int | None
) -> JSON:
    schedule: JSON = {"delay_days": delay_days, "interval": interval}
    if interval == "weekly":
        schedule["weekly_anchor"] = weekly_anchor or "monday"
    if interval == "monthly":
        schedule["monthly_anchor"] = monthly_anchor or 1
    return schedule


def account(
    *,
    country: str,
    default_currency: str,
    email: str | None,
    business_type: str | None,
    business_profile: JSON,
    capabilities: list[str],
    metadata: dict[str, str],
    schedule: JSON,
    created: int,
) -> JSON:
    """A new Express account: nothing submitted, every requested capability inactive."""
    account_id = new_id("acct_1", 15)
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": None,
            "estimated_worker_count": None,
            "mcc": None,
            "name": None,
            "product_description": None,
            "support_address": None,
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        }
        | business_profile,
        "business_type": business_type,
        "capabilities": dict.fromkeys(sorted(capabilities), "inactive"),
        "charges_enabled": False,
        "controller": {
            "fees": {"payer": "application_express"},
            "is_controller": True,
            "losses": {"payments": "application"},
            "requirement_collection": "stripe",
            "stripe_dashboard": {"type": "express"},
            "type": "application",
        },
        "country": country,
        "created": created,
        "default_currency": default_currency,
        "details_submitted": False,
        "email": email,
        "external_accounts": _list(f"/v1/accounts/{account_id}/external_accounts", []),
        "future_requirements": requirements("enabled", business_type),
        "metadata": dict(metadata),
        "payouts_enabled": False,
        "requirements": requirements("new", business_type),
        "settings": _settings(default_currency, schedule),
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "express",
    }


def _settings(currency: str, schedule: JSON) -> JSON:
    return {
        "bacs_debit_payments": {"display_name": None, "service_user_number": None},
        "branding": {"icon": None, "logo": None, "primary_color": None, "secondary_color": None},
        "card_issuing": {"tos_acceptance": {"date": None, "ip": None}},
        "card_payments": {
            "decline_on": {"avs_failure": False, "cvc_failure": False},
            "statement_descriptor_prefix": None,
            "statement_descriptor_prefix_kana": None,
            "statement_descriptor_prefix_kanji": None,
        },
        "dashboard": {"display_name": None, "timezone": "Etc/UTC"},
        "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": "offer"},
        "payments": {
            "statement_descriptor": None,
            "statement_descriptor_kana": None,
            "statement_descriptor_kanji": None,
        },
        "payouts": {
            "debit_negative_balances": True,
            "schedule": copy.deepcopy(schedule),
            "statement_descriptor": None,
        },
        "sepa_debit_payments": {},
    }


def bank_account(*, account_id: str, country: str, currency: str) -> JSON:
    """The test bank account the person enters during onboarding; payouts go to it."""
    return {
        "id": new_id("ba_1"),
        "object": "bank_account",
        "account": account_id,
        "account_holder_name": TEST_ACCOUNT_HOLDER,
        "account_holder_type": "individual",
        "account_type": None,
        "available_payout_methods": ["standard"],
        "bank_name": "STRIPE TEST BANK",
        "country": country,
        "currency": currency,
        "default_for_currency": True,
        "fingerprint": new_id("", 16),
        "future_requirements": _bank_requirements(),
        "last4": TEST_BANK_LAST4,
        "metadata": {},
        "requirements": _bank_requirements(),
        "routing_number": "110000000",
        "status": "new",
    }


def _bank_requirements() -> JSON:
    return {"currently_due": [], "errors": [], "past_due": [], "pending_verification": []}


def account_link(*, url: str, created: int, expires_at: int) -> JSON:
    return {"object": "account_link", "created": created, "expires_at": expires_at, "url": url}


def transfer(
    *,
    amount: int,
    currency: str,
    destination: str,
    description: str | None,
    metadata: dict[str, str],
    transfer_group: str | None,
    created: int,
) -> JSON:
    transfer_id = new_id("tr_1")
    return {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": new_id("txn_1"),
        "created": created,
        "currency": currency,
        "description": description,
        "destination": destination,
        "destination_payment": new_id("py_1"),
        "livemode": False,
        "metadata": dict(metadata),
        "reversals": _list(f"/v1/transfers/{transfer_id}/reversals", []),
        "reversed": False,
        "source_transaction": None,
        "source_type": "card",
        "transfer_group": transfer_group,
    }


def transfer_reversal(*, source: JSON, amount: int, metadata: dict[str, str], created: int) -> JSON:
    return {
        "id": new_id("trr_1"),
        "object": "transfer_reversal",
        "amount": amount,
        "balance_transaction": new_id("txn_1"),
        "created": created,
        "currency": source["currency"],
        "destination_payment_refund": new_id("pyr_1"),
        "metadata": dict(metadata),
        "source_refund": None,
        "transfer": source["id"],
    }


def payout(
    *,
    amount: int,
    currency: str,
    destination: str,
    automatic: bool,
    description: str | None,
    metadata: dict[str, str],
    statement_descriptor: str | None,
    created: int,
) -> JSON:
    """A standard payout to a bank account, pending; it arrives the next day (00:00 UTC)."""
    return {
        "id": new_id("po_1"),
        "object": "payout",
        "amount": amount,
        "application_fee": None,
        "application_fee_amount": None,
        "arrival_date": (created // DAY + 1) * DAY,
        "automatic": automatic,
        "balance_transaction": new_id("txn_1"),
        "created": created,
        "currency": currency,
        "description": description,
        "destination": destination,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": dict(metadata),
        "method": "standard",
        "original_payout": None,
        "payout_method": None,
        "reconciliation_status": "not_applicable",
        "reversed_by": None,
        "source_type": "card",
        "statement_descriptor": statement_descriptor,
        "status": "pending",
        "trace_id": {"status": "pending", "value": None},
        "type": "bank_account",
    }


# Stripe's payout failure codes and the messages its payouts carry for them.
PAYOUT_FAILURES = {
    "account_closed": "The bank account has been closed.",
    "account_frozen": "The bank account has been frozen.",
    "bank_account_restricted": (
        "The bank account has restrictions on either the type, or the number, of payouts "
        "allowed. This normally indicates that the bank account is a savings or other "
        "non-checking account."
    ),
    "bank_ownership_changed": (
        "The destination bank account is no longer valid because its branch has changed ownership."
    ),
    "could_not_process": "The bank could not process this payout.",
    "debit_not_authorized": "Debit transactions are not approved on the bank account.",
    "declined": "The bank has declined this transfer. Please contact the bank before retrying.",
    "insufficient_funds": "Your Stripe account has insufficient funds to cover the payout.",
    "invalid_account_number": (
        "The routing number seems correct, but the account number is invalid."
    ),
    "invalid_currency": "The bank was unable to process this payout because of its currency.",
    "no_account": (
        "The bank account details on file are probably incorrect. No bank account could be "
        "located with those details."
    ),
}


def _list(url: str, data: list[JSON]) -> JSON:
    return {"object": "list", "data": data, "has_more": False, "total_count": len(data), "url": url}


def previous_attributes(before: JSON, after: JSON) -> JSON:
    """What an `*.updated` event's `previous_attributes` holds: the old value of every field
    that changed; inside a changed hash only its changed keys, lists whole (as Stripe does)."""
    changed: JSON = {}
    for key, old in before.items():
        new = after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed[key] = previous_attributes(old, new)
        else:
            changed[key] = copy.deepcopy(old)
    return changed
