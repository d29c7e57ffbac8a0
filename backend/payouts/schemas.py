"""What the earnings and payout routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.creators.schemas import EXAMPLE_FOLLOWER, UserSummary
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page
from backend.payouts.models import AccountState, Payout, PayoutAccount, PayoutStatus

EXAMPLE_PAYOUT_ID = "6c0b7a52-1f3e-4d2a-9b8c-7e6f5a4d3c2b"
MAX_PAYOUT_TOKENS = 10_000_000


class EarningsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "available_tokens": 420, "on_hold_tokens": 80, "lifetime_tokens": 1500,
                    "paid_out_tokens": 1000, "available_cents": 2100, "on_hold_cents": 400,
                    "lifetime_cents": 7500, "token_payout_cents": 5, "currency": "usd",
                    "hold_days": 7, "minimum_payout_tokens": 100,
                    "next_release_at": "2025-03-09T15:19:58Z",
                }
            ]
        }
    )  # fmt: skip

    available_tokens: int = Field(description="Released and not yet paid out: payable now")
    on_hold_tokens: int = Field(description="Received within the hold period")
    lifetime_tokens: int = Field(description="Everything received (tips and unlocks)")
    paid_out_tokens: int = Field(description="Taken into payouts, less failed ones")
    available_cents: int
    on_hold_cents: int
    lifetime_cents: int
    token_payout_cents: int = Field(description="What one token pays, in `currency`'s cents")
    currency: str
    hold_days: float
    minimum_payout_tokens: int
    next_release_at: datetime | None = Field(description="When tokens on hold next release")


class DayOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"date": "2025-03-01", "tokens": 40}]}
    )

    date: date
    tokens: int


class DailyEarningsOut(BaseModel):
    """Tokens received per day (UTC), oldest first; days without any are 0."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"days": [{"date": "2025-03-01", "tokens": 40}]}]}
    )

    days: list[DayOut]


class DailyQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=366)


class SupporterOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"user": EXAMPLE_FOLLOWER, "tokens": 300, "times": 4,
                 "last_at": "2025-03-02T15:19:58Z"}
            ]
        }
    )  # fmt: skip

    user: UserSummary
    tokens: int
    times: int = Field(description="How many tips and unlocks")
    last_at: datetime


class SupportersOut(BaseModel):
    """Most tokens first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [{"user": EXAMPLE_FOLLOWER, "tokens": 300, "times": 4,
                            "last_at": "2025-03-02T15:19:58Z"}]}
            ]
        }
    )  # fmt: skip

    items: list[SupporterOut]


class SupportersQuery(BaseModel):
    limit: int = Field(default=10, ge=1, le=50)


class ReceivedTipOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "4a7d2e9c-3b1f-4d6a-8e5c-9f0b1a2c3d4e", "fan": EXAMPLE_FOLLOWER,
                 "amount": 50, "message": "Loved the engine series!",
                 "created_at": "2025-03-02T15:19:58Z"}
            ]
        }
    )  # fmt: skip

    id: uuid.UUID
    fan: UserSummary
    amount: int
    message: str | None
    created_at: datetime


class ReceivedTipPage(Page[ReceivedTipOut]):
    """Tips received, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [], "next_cursor": None}]})


AccountStateOut = Literal["none", "onboarding", "restricted", "enabled"]
EXAMPLE_ACCOUNT: dict[str, Any] = {
    "state": "restricted",
    "payouts_enabled": False,
    "requirements_due": ["external_account"],
    "disabled_reason": "requirements.past_due",
}


class PayoutAccountOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ACCOUNT]})

    state: AccountStateOut = Field(description="As Stripe last reported it")
    payouts_enabled: bool
    requirements_due: list[str] = Field(description="What Stripe still needs from you")
    disabled_reason: str | None

    @classmethod
    def of(cls, account: PayoutAccount | None) -> PayoutAccountOut:
        if account is None:
            return cls(
                state="none", payouts_enabled=False, requirements_due=[], disabled_reason=None
            )
        state: AccountStateOut = AccountState(account.state).value
        return cls(
            state=state,
            payouts_enabled=account.payouts_enabled,
            requirements_due=list(account.requirements_due),
            disabled_reason=account.disabled_reason,
        )


class OnboardingOut(PayoutAccountOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**EXAMPLE_ACCOUNT, "state": "onboarding",
                 "onboarding_url": "https://connect.stripe.com/setup/e/acct_1/abc"}
            ]
        }
    )  # fmt: skip

    onboarding_url: str = Field(description="Stripe's hosted onboarding: send the browser there")


class PayoutIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"tokens": 400}]})

    tokens: int = Field(ge=1, le=MAX_PAYOUT_TOKENS, description="Available tokens to pay out")


class PayoutOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": EXAMPLE_PAYOUT_ID, "tokens": 400, "amount_cents": 2000, "currency": "usd",
                 "status": "in_transit", "failure_code": None, "failure_message": None,
                 "created_at": "2025-03-02T15:19:58Z", "paid_at": None, "failed_at": None}
            ]
        }
    )  # fmt: skip

    id: uuid.UUID
    tokens: int
    amount_cents: int
    currency: str
    status: PayoutStatus
    failure_code: str | None
    failure_message: str | None = Field(description="Why it failed, and what to do")
    created_at: datetime
    paid_at: datetime | None
    failed_at: datetime | None

    @classmethod
    def of(cls, payout: Payout) -> PayoutOut:
        return cls(
            id=payout.id,
            tokens=payout.tokens,
            amount_cents=payout.amount_cents,
            currency=payout.currency,
            status=payout.status,
            failure_code=payout.failure_code,
            failure_message=payout.failure_message,
            created_at=payout.created_at,
            paid_at=payout.paid_at,
            failed_at=payout.failed_at or payout.reversed_at,
        )


class PayoutPage(Page[PayoutOut]):
    """Payouts, newest first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [], "next_cursor": EXAMPLE_CURSOR}]}
    )
