"""Signed Stripe events for the webhook rows (the real signature scheme, fresh timestamps)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import uuid
from pathlib import Path


def signature(secret: str, body: bytes, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def checkout_completed(purchase_id: str, amount_cents: int, currency: str = "usd") -> bytes:
    """A paid `checkout.session.completed` for one purchase, shaped like Stripe's."""
    session = {
        "id": f"cs_test_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "amount_total": amount_cents,
        "currency": currency,
        "client_reference_id": purchase_id,
        "metadata": {"purchase_id": purchase_id},
        "mode": "payment",
        "payment_intent": f"pi_{uuid.uuid4().hex[:24]}",
        "payment_status": "paid",
        "status": "complete",
    }
    event = {
        "id": f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
    }
    return json.dumps(event, separators=(",", ":")).encode()


def write_signed(path: Path, secret: str, bodies: list[bytes]) -> None:
    """One event per line, `<Stripe-Signature>\\t<body>`, for bench/scripts/webhook.lua.

    The file is on disk before this returns: its writeback would otherwise compete with
    the database for the disk during the run that reads it."""
    with path.open("wb") as out:
        for body in bodies:
            out.write(signature(secret, body).encode() + b"\t" + body + b"\n")
        out.flush()
        os.fsync(out.fileno())
