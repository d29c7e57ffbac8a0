"""Payments, refunds and disputes, and the signed webhooks each sends to a real HTTP receiver."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from tests.stripe_emulator.conftest import (
    PRICE,
    PURCHASE_ID,
    SECRET,
    CreateSession,
    EmulatorThread,
    Receiver,
    emulator_config,
    sdk_client,
    session_params,
    wait_until,
)
from tools.stripe_emulator.objects import fixture


def verify(received_body: bytes, signature: str, secret: str = SECRET) -> stripe.Event:
    event: stripe.Event = stripe.Webhook.construct_event(received_body, signature, secret)
    return event


def test_pay_sends_signed_events_carrying_the_purchase(
    sdk: stripe.StripeClient,
    create_session: CreateSession,
    control: httpx.Client,
    receiver: Receiver,
) -> None:
    session = create_session()
    paid = control.post(f"/_emulator/checkout/sessions/{session.id}/pay").json()
    assert paid["status"] == "complete"
    assert paid["payment_status"] == "paid"
    intent_id = paid["payment_intent"]
    assert intent_id.startswith("pi_")

    [completed] = receiver.wait_for(session.id, "checkout.session.completed")
    [succeeded] = receiver.wait_for(intent_id, "payment_intent.succeeded")

    event = verify(completed.body, completed.signature)
    assert event.type == "checkout.session.completed"
    assert event.id.startswith("evt_")
    assert event.livemode is False
    assert event.api_version == stripe.api_version
    assert set(completed.event) == set(fixture("event"))
    completed_session = event.data.object
    assert completed_session["payment_status"] == "paid"
    assert completed_session["metadata"]["purchase_id"] == PURCHASE_ID
    assert completed_session["client_reference_id"] == "user-42"
    assert completed_session["payment_intent"] == intent_id
    assert completed_session["amount_total"] == PRICE

    intent_event = verify(succeeded.body, succeeded.signature)
    assert intent_event.id != event.id  # two events for one payment: dedupe on the purchase
    intent = intent_event.data.object
    assert intent["id"] == intent_id
    assert intent["status"] == "succeeded"
    assert intent["amount_received"] == PRICE
    assert intent["metadata"]["purchase_id"] == PURCHASE_ID
    assert set(intent.to_dict()) == set(fixture("payment_intent"))

    charge_id = intent["latest_charge"]
    [charge_event] = receiver.wait_for(charge_id, "charge.succeeded")
    charge = charge_event.event["data"]["object"]
    assert charge["payment_intent"] == intent_id
    assert charge["amount_captured"] == PRICE
    assert charge["amount_refunded"] == 0
    assert charge["metadata"] == {"purchase_id": PURCHASE_ID}
    assert set(charge) == set(fixture("charge"))

    assert sdk.v1.payment_intents.retrieve(intent_id).status == "succeeded"
    assert sdk.v1.charges.retrieve(charge_id).paid is True
    assert sdk.v1.checkout.sessions.retrieve(session.id).payment_status == "paid"

    with pytest.raises(stripe.SignatureVerificationError):
        verify(completed.body, completed.signature, "whsec_some_other_secret")


def test_rolling_secret_signs_with_both(receiver: Receiver) -> None:
    new_secret = "whsec_the_new_secret"
    config = emulator_config(receiver, extra_signing_secret=new_secret)
    with EmulatorThread(config) as running:
        sdk = sdk_client(running)
        session = sdk.v1.checkout.sessions.create(params=session_params())  # type: ignore[arg-type]
        httpx.post(f"{running.api_base}/_emulator/checkout/sessions/{session.id}/pay")
        [completed] = receiver.wait_for(session.id, "checkout.session.completed")

    parts = completed.signature.split(",")
    assert parts[0].startswith("t=")
    assert len([part for part in parts if part.startswith("v1=")]) == 2
    assert verify(completed.body, completed.signature, SECRET).id
    assert verify(completed.body, completed.signature, new_secret).id


def test_failed_deliveries_are_retried_until_delivered(
    create_session: CreateSession, control: httpx.Client, receiver: Receiver
) -> None:
    session = create_session()
    receiver.fail(session.id, 500, 500)
    control.post(f"/_emulator/checkout/sessions/{session.id}/pay").raise_for_status()

    receiver.wait_for(session.id, "checkout.session.completed")

    def delivered() -> bool:
        status: str = _event(control, session.id, "checkout.session.completed")["delivery_status"]
        return status == "delivered"

    wait_until(delivered)
    record = _event(control, session.id, "checkout.session.completed")
    assert [attempt["status"] for attempt in record["attempts"]] == [500, 500, 200]
    assert [attempt["attempt"] for attempt in record["attempts"]] == [1, 2, 3]
    # Every attempt carries the same body with its own, valid signature.
    attempts = [r for r in receiver.received if r.event["id"] == record["id"]]
    assert len(attempts) == 3
    for attempt in attempts:
        verify(attempt.body, attempt.signature)


def test_decline_then_pay(
    sdk: stripe.StripeClient,
    create_session: CreateSession,
    control: httpx.Client,
    receiver: Receiver,
) -> None:
    session = create_session()
    declined = control.post(f"/_emulator/checkout/sessions/{session.id}/decline").json()
    assert declined["status"] == "open"
    intent_id = declined["payment_intent"]

    [failed] = receiver.wait_for(intent_id, "payment_intent.payment_failed")
    intent = verify(failed.body, failed.signature).data.object
    assert intent["status"] == "requires_payment_method"
    assert intent["last_payment_error"]["code"] == "card_declined"
    assert intent["last_payment_error"]["message"] == "Your card was declined."
    assert intent["metadata"]["purchase_id"] == PURCHASE_ID
    assert sdk.v1.checkout.sessions.retrieve(session.id).status == "open"

    # The customer tries another card: the same PaymentIntent succeeds.
    paid = control.post(f"/_emulator/checkout/sessions/{session.id}/pay").json()
    assert paid["payment_intent"] == intent_id
    receiver.wait_for(intent_id, "payment_intent.succeeded")
    assert sdk.v1.payment_intents.retrieve(intent_id).last_payment_error is None


@pytest.mark.parametrize("outcome", ["succeeded", "failed"])
def test_pay_later_then_settle(
    outcome: str,
    sdk: stripe.StripeClient,
    create_session: CreateSession,
    control: httpx.Client,
    receiver: Receiver,
) -> None:
    session = create_session()
    later = control.post(f"/_emulator/checkout/sessions/{session.id}/pay-later").json()
    assert (later["status"], later["payment_status"]) == ("complete", "unpaid")
    [completed] = receiver.wait_for(session.id, "checkout.session.completed")
    assert completed.event["data"]["object"]["payment_status"] == "unpaid"

    settled = control.post(
        f"/_emulator/checkout/sessions/{session.id}/async-payment", json={"outcome": outcome}
    ).json()

    [event] = receiver.wait_for(session.id, f"checkout.session.async_payment_{outcome}")
    settled_session = verify(event.body, event.signature).data.object
    assert settled_session["metadata"]["purchase_id"] == PURCHASE_ID
    intent = sdk.v1.payment_intents.retrieve(later["payment_intent"])
    if outcome == "succeeded":
        assert settled["payment_status"] == settled_session["payment_status"] == "paid"
        assert intent.status == "succeeded"
        receiver.wait_for(intent.id, "payment_intent.succeeded")
    else:
        assert settled["payment_status"] == "unpaid"
        assert intent.status == "requires_payment_method"
        receiver.wait_for(intent.id, "payment_intent.payment_failed")

    again = control.post(
        f"/_emulator/checkout/sessions/{session.id}/async-payment", json={"outcome": outcome}
    )
    assert again.status_code == 400


def test_partial_then_full_refund(
    sdk: stripe.StripeClient,
    create_session: CreateSession,
    control: httpx.Client,
    receiver: Receiver,
) -> None:
    intent_id = _paid_intent(create_session, control)
    partial = control.post(f"/_emulator/payment_intents/{intent_id}/refund", json={"amount": 300})
    assert partial.status_code == 200
    assert partial.json()["amount"] == 300
    assert partial.json()["object"] == "refund"
    # The rest through the API, as the backend would refund.
    rest = sdk.v1.refunds.create(params={"payment_intent": intent_id, "reason": "duplicate"})
    assert rest.amount == PRICE - 300
    assert set(rest.to_dict()) == set(fixture("refund"))

    charge_id = rest.charge
    assert isinstance(charge_id, str)
    first, second = receiver.wait_for(charge_id, "charge.refunded", count=2)
    charges = [verify(r.body, r.signature).data.object for r in (first, second)]
    assert [c["amount_refunded"] for c in charges] == [300, PRICE]
    assert [c["refunded"] for c in charges] == [False, True]
    assert [c["payment_intent"] for c in charges] == [intent_id, intent_id]
    assert [c["metadata"]["purchase_id"] for c in charges] == [PURCHASE_ID] * 2
    assert [r["amount"] for r in charges[1]["refunds"]["data"]] == [PRICE - 300, 300]
    assert second.event["request"]["id"] is not None  # caused by an API call

    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.v1.refunds.create(params={"payment_intent": intent_id})
    assert raised.value.code == "charge_already_refunded"


def test_refund_more_than_is_left_is_refused(
    create_session: CreateSession, control: httpx.Client
) -> None:
    intent_id = _paid_intent(create_session, control)
    response = control.post(
        f"/_emulator/payment_intents/{intent_id}/refund", json={"amount": PRICE + 1}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_too_large"


def test_dispute_created_then_won(
    create_session: CreateSession, control: httpx.Client, receiver: Receiver
) -> None:
    intent_id = _paid_intent(create_session, control)
    dispute = control.post(f"/_emulator/payment_intents/{intent_id}/dispute").json()
    assert dispute["id"].startswith("dp_")
    assert dispute["status"] == "needs_response"
    assert dispute["amount"] == PRICE
    assert dispute["payment_intent"] == intent_id
    assert dispute["charge"].startswith("ch_")
    assert set(dispute) == set(fixture("dispute"))

    closed = control.post(f"/_emulator/disputes/{dispute['id']}/close", json={"status": "won"})
    assert closed.json()["status"] == "won"

    created_event, closed_event = receiver.wait_for(
        dispute["id"], "charge.dispute.created"
    ) + receiver.wait_for(dispute["id"], "charge.dispute.closed")
    assert verify(created_event.body, created_event.signature).data.object["status"] == (
        "needs_response"
    )
    assert verify(closed_event.body, closed_event.signature).data.object["status"] == "won"

    refund = control.post(f"/_emulator/payment_intents/{intent_id}/refund")
    assert refund.status_code == 400
    assert refund.json()["error"]["code"] == "charge_disputed"


def test_resend_delivers_the_same_event_again(
    create_session: CreateSession, control: httpx.Client, receiver: Receiver
) -> None:
    session = create_session()
    control.post(f"/_emulator/checkout/sessions/{session.id}/pay").raise_for_status()
    [original] = receiver.wait_for(session.id, "checkout.session.completed")
    event_id = original.event["id"]

    resent = control.post(f"/_emulator/events/{event_id}/resend")
    assert resent.status_code == 200

    first, second = receiver.wait_for(session.id, "checkout.session.completed", count=2)
    assert second.event["id"] == event_id
    assert second.body == first.body
    assert verify(second.body, second.signature).id == event_id

    def attempts() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = _event(control, session.id, "checkout.session.completed")[
            "attempts"
        ]
        return found

    wait_until(lambda: len(attempts()) == 2)
    assert [(a["delivery"], a["status"]) for a in attempts()] == [(1, 200), (2, 200)]


def test_expire_sends_checkout_session_expired(
    create_session: CreateSession, control: httpx.Client, receiver: Receiver
) -> None:
    session = create_session()
    expired = control.post(f"/_emulator/checkout/sessions/{session.id}/expire").json()
    assert expired["status"] == "expired"
    [event] = receiver.wait_for(session.id, "checkout.session.expired")
    assert event.event["data"]["object"]["metadata"]["purchase_id"] == PURCHASE_ID
    assert control.post(f"/_emulator/checkout/sessions/{session.id}/pay").status_code == 400


def test_listings_and_health(create_session: CreateSession, control: httpx.Client) -> None:
    older = create_session(client_reference_id="lister")
    newer = create_session(client_reference_id="lister")
    control.post(f"/_emulator/checkout/sessions/{newer.id}/pay").raise_for_status()

    listed = control.get(
        "/_emulator/checkout/sessions", params={"client_reference_id": "lister"}
    ).json()["data"]
    assert [s["id"] for s in listed] == [newer.id, older.id]
    assert listed[0]["payment_intent"].startswith("pi_")
    assert listed[1]["payment_intent"] is None

    events = control.get("/_emulator/events").json()["data"]
    assert events[0]["type"] == "checkout.session.completed"
    assert events[0]["object_id"] == newer.id
    assert {"id", "type", "object_id", "delivery_status", "attempts"} <= set(events[0])

    health = control.get("/_emulator/health").json()
    assert health["status"] == "ok"
    assert health["sessions"] >= 2


def _paid_intent(create_session: CreateSession, control: httpx.Client) -> str:
    session = create_session()
    paid = control.post(f"/_emulator/checkout/sessions/{session.id}/pay").json()
    intent_id: str = paid["payment_intent"]
    return intent_id


def _event(control: httpx.Client, object_id: str, event_type: str) -> dict[str, Any]:
    found = control.get(
        "/_emulator/events", params={"object_id": object_id, "type": event_type}
    ).json()["data"]
    assert len(found) == 1
    record: dict[str, Any] = found[0]
    return record
