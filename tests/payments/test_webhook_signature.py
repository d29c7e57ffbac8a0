"""The webhook stores an event only when Stripe's signature over the raw body proves it."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from backend.outbox.models import OutboxJob
from backend.payments.inbox import PROCESS_EVENT
from backend.payments.models import StripeEvent
from backend.settings import Settings
from tests.payments.stack import Stack, deliver, event_body, signature_header
from tests.payments.support import event, pay, start_checkout
from tests.support.accounts import create_account
from tests.support.server import serve, with_overrides

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]

OTHER_SECRET = "whsec_someone_else_entirely_0123456789abcdef"


@pytest.fixture
async def completed(recorder: Stack) -> dict[str, Any]:
    """A real `checkout.session.completed` event, recorded by the emulator, not delivered."""
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    return await event(recorder, checkout.session_id, "checkout.session.completed")


async def post(api: httpx.AsyncClient, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return await api.post("/api/webhooks/stripe", content=body, headers=headers)


async def test_a_signed_event_is_stored_once_with_its_job(
    recorder: Stack, completed: dict[str, Any]
) -> None:
    response = await deliver(recorder.api, completed, recorder.secret)

    assert response.status_code == 200
    assert response.json() == {"received": True}
    stored = await StripeEvent.get(id=completed["id"])
    assert stored.type == "checkout.session.completed"
    assert stored.payload == completed
    assert stored.deliveries == 1
    job = await OutboxJob.get(id=stored.job_id)
    assert (job.task, job.args) == (PROCESS_EVENT, [completed["id"]])


async def test_any_of_several_v1_signatures_may_match(
    recorder: Stack, completed: dict[str, Any]
) -> None:
    body = event_body(completed)
    header = signature_header(body, OTHER_SECRET, recorder.secret)  # as during a secret roll
    assert (await post(recorder.api, body, header)).status_code == 200
    assert await StripeEvent.filter(id=completed["id"]).exists()


@pytest.fixture
async def rotated(settings: Settings, redis: object) -> AsyncIterator[httpx.AsyncClient]:
    """An API whose secret was rolled: the new one is current, the old one still accepted."""
    rolled = with_overrides(
        settings,
        stripe_webhook_secret="whsec_the_new_secret_after_rotation_000",
        stripe_webhook_previous_secret=settings.stripe_webhook_secret.get_secret_value(),
        rate_limit_enabled=False,
    )
    async with serve(rolled) as client:
        yield client


async def test_both_the_current_and_the_previous_secret_are_accepted(
    rotated: httpx.AsyncClient, recorder: Stack, completed: dict[str, Any]
) -> None:
    body = event_body(completed)
    old = await post(rotated, body, signature_header(body, recorder.secret))
    new = await post(
        rotated, body, signature_header(body, "whsec_the_new_secret_after_rotation_000")
    )
    neither = await post(rotated, body, signature_header(body, OTHER_SECRET))

    assert (old.status_code, new.status_code, neither.status_code) == (200, 200, 400)
    assert (await StripeEvent.get(id=completed["id"])).deliveries == 2


def _tampered(body: bytes) -> bytes:
    return body.replace(b'"paid"', b'"unpaid"', 1)


Forge = Callable[[bytes, str], tuple[bytes, str | None]]
SIGNATURE_CASES: dict[str, Forge] = {
    "missing header": lambda body, secret: (body, None),
    "empty header": lambda body, secret: (body, ""),
    "garbage header": lambda body, secret: (body, "this is not a signature"),
    "no timestamp": lambda body, secret: (body, signature_header(body, secret).split(",", 1)[1]),
    "only a v0 signature": lambda body, secret: (
        body, signature_header(body, secret).replace("v1=", "v0="),
    ),
    "wrong secret": lambda body, secret: (body, signature_header(body, OTHER_SECRET)),
    "body changed after signing": lambda body, secret: (
        _tampered(body), signature_header(body, secret),
    ),
    "re-encoded body": lambda body, secret: (
        json.dumps(json.loads(body)).encode(), signature_header(body, secret),
    ),
    "stale timestamp": lambda body, secret: (
        body, signature_header(body, secret, timestamp=int(time.time()) - 301),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(SIGNATURE_CASES))
async def test_a_bad_signature_is_400_and_nothing_is_stored(
    recorder: Stack, completed: dict[str, Any], case: str
) -> None:
    body, header = SIGNATURE_CASES[case](event_body(completed), recorder.secret)

    response = await post(recorder.api, body, header)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert await StripeEvent.all().count() == 0
    assert await OutboxJob.all().count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b'{"type": "checkout.session.completed"}',
        b'{"id": "evt_1", "type": "checkout.session.completed", "created": 1}',
        b'{"id": 5, "type": "x", "created": 1, "data": {"object": {}}}',
        b"[]",
        "caf\xe9".encode("latin-1"),
    ],
)
async def test_a_signed_but_malformed_body_is_400_and_nothing_is_stored(
    recorder: Stack, body: bytes
) -> None:
    response = await post(recorder.api, body, signature_header(body, recorder.secret))

    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"malformed_event", "invalid_signature"}
    assert await StripeEvent.all().count() == 0


async def test_event_types_digis_does_not_handle_get_200_and_are_not_stored(
    recorder: Stack,
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    intent = await pay(recorder, checkout)
    charge_succeeded = (
        await recorder.control.get("/_emulator/events", params={"type": "charge.succeeded"})
    ).json()["data"]
    charge_event = (
        await recorder.control.get(f"/_emulator/events/{charge_succeeded[0]['id']}")
    ).json()["event"]
    assert charge_event["data"]["object"]["payment_intent"] == intent

    response = await deliver(recorder.api, charge_event, recorder.secret)

    assert response.status_code == 200
    assert await StripeEvent.all().count() == 0
