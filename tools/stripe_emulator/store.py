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

    def summary(self) -> JSON:
        return {
            "id": self.id,
            "type": self.event["type"],
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
    events: dict[str, EventRecord] = field(default_factory=dict)
    # Keyed by (API key, Idempotency-Key): Stripe scopes keys to the account.
    idempotency: dict[tuple[str, str], IdempotentResult] = field(default_factory=dict)

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
