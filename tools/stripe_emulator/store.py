"""In-memory state: Stripe objects by id, events with their delivery attempts, idempotency keys.

Everything lives in one process and is lost on restart. Handlers change it without awaiting in
between, so no locks are needed on the single event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tools.stripe_emulator.errors import no_such
from tools.stripe_emulator.objects import JSON

DeliveryStatus = Literal["pending", "retrying", "delivered", "failed", "disabled"]


@dataclass
class SessionRecord:
    session: JSON
    line_items: list[JSON]
    # `payment_intent_data` of the create call, applied when the PaymentIntent is created.
    intent_metadata: dict[str, str]
    intent_description: str | None


@dataclass
class AccountRecord:
    """A connected account and its available balance by currency (smallest unit): transfers
    add to it, payouts take from it, a failed payout gives back."""

    account: JSON
    balance: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        account_id: str = self.account["id"]
        return account_id

    def available(self, currency: str) -> int:
        return self.balance.get(currency, 0)

    def add(self, currency: str, amount: int) -> None:
        self.balance[currency] = self.available(currency) + amount


LinkState = Literal["new", "opened", "used"]


@dataclass
class AccountLinkRecord:
    """An onboarding link: single use (opening it uses it up) and short-lived."""

    id: str
    account_id: str
    refresh_url: str
    return_url: str
    expires_at: float  # exact, where the object's `expires_at` is whole seconds
    state: LinkState = "new"


@dataclass
class PayoutRecord:
    payout: JSON
    account_id: str  # the connected account it was made on (`Stripe-Account`)


@dataclass
class Attempt:
    delivery: int  # 1 = the original delivery, 2+ = each resend
    number: int  # attempt within that delivery
    at: float
    status: int | None
    error: str | None
    duration_ms: int

    def as_json(self) -> JSON:
        return {
            "delivery": self.delivery,
            "attempt": self.number,
            "at": round(self.at, 3),
            "status": self.status,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }


@dataclass
class EventRecord:
    event: JSON
    # The exact bytes sent (and signed); retries and resends send them again.
    body: bytes
    object_id: str
    status: DeliveryStatus = "pending"
    deliveries: int = 0
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def id(self) -> str:
        event_id: str = self.event["id"]
        return event_id

    @property
    def account(self) -> str | None:
        """The connected account a Connect event is about; None for the platform's own."""
        account: str | None = self.event.get("account")
        return account

    def summary(self) -> JSON:
        return {
            "id": self.id,
            "type": self.event["type"],
            "account": self.account,
            "created": self.event["created"],
            "object_id": self.object_id,
            "object": self.event["data"]["object"]["object"],
            "delivery_status": self.status,
            "attempts": [attempt.as_json() for attempt in self.attempts],
        }


@dataclass
class IdempotentResult:
    endpoint: str  # e.g. "POST /v1/checkout/sessions"
    params: dict[str, Any]
    status: int
    body: JSON
    request_id: str


@dataclass
class Store:
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    payment_intents: dict[str, JSON] = field(default_factory=dict)
    charges: dict[str, JSON] = field(default_factory=dict)
    refunds: dict[str, JSON] = field(default_factory=dict)
    disputes: dict[str, JSON] = field(default_factory=dict)
    accounts: dict[str, AccountRecord] = field(default_factory=dict)
    account_links: dict[str, AccountLinkRecord] = field(default_factory=dict)
    transfers: dict[str, JSON] = field(default_factory=dict)
    payouts: dict[str, PayoutRecord] = field(default_factory=dict)
    # The platform's available balance for transfers, in every currency; None = unlimited.
    platform_available: int | None = None
    events: dict[str, EventRecord] = field(default_factory=dict)
    # Keyed by (API key, Idempotency-Key), plus the `Stripe-Account` for a call made on a
    # connected account: Stripe scopes keys to the account a request is made on.
    idempotency: dict[tuple[str, ...], IdempotentResult] = field(default_factory=dict)

    def session(self, session_id: str, *, param: str = "session") -> SessionRecord:
        record = self.sessions.get(session_id)
        if record is None:
            raise no_such("checkout.session", session_id, param=param)
        return record

    def payment_intent(self, intent_id: str, *, param: str = "intent") -> JSON:
        return _get(self.payment_intents, "payment_intent", intent_id, param)

    def charge(self, charge_id: str, *, param: str = "charge") -> JSON:
        return _get(self.charges, "charge", charge_id, param)

    def refund(self, refund_id: str) -> JSON:
        return _get(self.refunds, "refund", refund_id, "refund")

    def dispute(self, dispute_id: str) -> JSON:
        return _get(self.disputes, "dispute", dispute_id, "dispute")

    def account(self, account_id: str, *, param: str = "account") -> AccountRecord:
        record = self.accounts.get(account_id)
        if record is None:
            raise no_such("account", account_id, param=param)
        return record

    def transfer(self, transfer_id: str, *, param: str = "transfer") -> JSON:
        return _get(self.transfers, "transfer", transfer_id, param)

    def payout(self, payout_id: str, account_id: str | None = None) -> PayoutRecord:
        """The payout; with `account_id`, only if it was made on that account (as Stripe
        finds a connected account's payouts only with its `Stripe-Account`)."""
        record = self.payouts.get(payout_id)
        if record is None or (account_id is not None and record.account_id != account_id):
            raise no_such("payout", payout_id)
        return record

    def event(self, event_id: str) -> EventRecord:
        record = self.events.get(event_id)
        if record is None:
            raise no_such("event", event_id)
        return record


def _get(objects: dict[str, JSON], kind: str, object_id: str, param: str) -> JSON:
    found = objects.get(object_id)
    if found is None:
        raise no_such(kind, object_id, param=param)
    return found
