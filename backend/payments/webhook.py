"""Stripe webhook signatures: the raw body is checked with the SDK before anything else.

Any `v1` signature in the header may match (Stripe sends one per active secret while a
secret is being rolled), against the current secret or, when configured, the previous one.
A timestamp older than the tolerance is refused, so a captured request cannot be replayed
later. Digis has two endpoints, each with its own secrets: the platform's (payments,
transfers) and Connect's (events about creators' connected accounts, which name the
`account`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import stripe

from backend.http.errors import ApiError
from backend.settings import Settings


class InvalidWebhook(ApiError):
    status, code, message = 400, "invalid_signature", "The webhook signature is not valid."


class Endpoint(StrEnum):
    PLATFORM = "platform"  # /api/webhooks/stripe
    CONNECT = "connect"  # /api/webhooks/stripe/connect


@dataclass(frozen=True)
class VerifiedEvent:
    id: str
    type: str
    created: datetime
    payload: dict[str, Any]


def verify_event(
    settings: Settings, body: bytes, signature: str | None, endpoint: Endpoint = Endpoint.PLATFORM
) -> VerifiedEvent:
    """The event in `body` if `signature` proves Stripe sent it recently to `endpoint`
    (a Connect event must name its connected account); else a 400."""
    secrets = _secrets(settings, endpoint)
    if not any(_signed_with(secret, body, signature, settings) for secret in secrets):
        raise InvalidWebhook()
    event = _parse(body)
    if endpoint == Endpoint.CONNECT and not isinstance(event.payload.get("account"), str):
        raise InvalidWebhook("A Connect event names its connected account.", code="malformed_event")
    return event


def _secrets(settings: Settings, endpoint: Endpoint) -> list[str]:
    if endpoint == Endpoint.CONNECT:
        candidates = (
            settings.stripe_connect_webhook_secret,
            settings.stripe_connect_webhook_previous_secret,
        )
    else:
        candidates = (settings.stripe_webhook_secret, settings.stripe_webhook_previous_secret)
    return [secret.get_secret_value() for secret in candidates if secret is not None]


def _signed_with(secret: str, body: bytes, signature: str | None, settings: Settings) -> bool:
    try:
        stripe.WebhookSignature.verify_header(
            body, signature, secret, tolerance=settings.stripe_webhook_tolerance_seconds
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError):
        return False
    return True


def _parse(body: bytes) -> VerifiedEvent:
    try:
        event = json.loads(body)
        return VerifiedEvent(
            id=_text(event["id"]),
            type=_text(event["type"]),
            created=datetime.fromtimestamp(int(event["created"]), UTC),
            payload=_with_object(event),
        )
    except (ValueError, TypeError, KeyError, OverflowError):
        raise InvalidWebhook(
            "The webhook body is not a Stripe event.", code="malformed_event"
        ) from None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 255:
        raise ValueError("expected a short string")
    return value


def _with_object(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict) or not isinstance(event["data"]["object"], dict):
        raise ValueError("expected data.object")
    return event
