"""The API and the Stripe emulator, wired to each other, in the test's event loop.

`live_stack`: the emulator delivers its signed webhooks to the API, as Stripe would.
`recording_stack`: the emulator only records its events; the test delivers them itself, in
the order and as often as it wants (`deliver`), signed with the real scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from backend.settings import Settings
from tests.support import server as api_server
from tests.support.server import with_overrides
from tools.stripe_emulator import EmulatorConfig, Running, serve

WEBHOOK_PATH = "/api/webhooks/stripe"


@dataclass
class Stack:
    api: httpx.AsyncClient
    emulator: Running
    control: httpx.AsyncClient  # the emulator's /_emulator endpoints
    secret: str  # the webhook signing secret both sides use


def _bound_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def _emulator_config(settings: Settings, webhook_url: str | None) -> EmulatorConfig:
    return EmulatorConfig(
        host="127.0.0.1",
        port=0,
        webhook_url=webhook_url,
        webhook_secret=settings.stripe_webhook_secret.get_secret_value(),
        retry_base=0.05,
        retry_cap=0.5,
        max_attempts=20,
    )


@asynccontextmanager
async def live_stack(settings: Settings, **overrides: Any) -> AsyncIterator[Stack]:
    sock = _bound_socket()
    webhook_url = f"http://127.0.0.1:{sock.getsockname()[1]}{WEBHOOK_PATH}"
    async with serve(_emulator_config(settings, webhook_url)) as emulator:
        custom = with_overrides(settings, stripe_api_base=emulator.api_base, **overrides)
        async with (
            api_server.serve(custom, sock=sock) as api,
            httpx.AsyncClient(base_url=emulator.api_base, timeout=30) as control,
        ):
            yield Stack(api, emulator, control, settings.stripe_webhook_secret.get_secret_value())


@asynccontextmanager
async def recording_stack(settings: Settings, **overrides: Any) -> AsyncIterator[Stack]:
    async with serve(_emulator_config(settings, None)) as emulator:
        custom = with_overrides(settings, stripe_api_base=emulator.api_base, **overrides)
        async with (
            api_server.serve(custom, sock=_bound_socket()) as api,
            httpx.AsyncClient(base_url=emulator.api_base, timeout=30) as control,
        ):
            yield Stack(api, emulator, control, settings.stripe_webhook_secret.get_secret_value())


def signature_header(body: bytes, *secrets: str, timestamp: int | None = None) -> str:
    """`Stripe-Signature` as Stripe builds it: `t=...` and one `v1=` per secret."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{stamp}.".encode() + body
    signatures = [
        "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets
    ]
    return ",".join([f"t={stamp}", *signatures])


def event_body(event: dict[str, Any]) -> bytes:
    """An event as Stripe sends it: pretty-printed JSON."""
    return json.dumps(event, indent=2).encode()


async def deliver(
    api: httpx.AsyncClient, event: dict[str, Any], secret: str, *, signature: str | None = None
) -> httpx.Response:
    body = event_body(event)
    header = signature if signature is not None else signature_header(body, secret)
    return await api.post(
        WEBHOOK_PATH,
        content=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )
