"""Stripe Connect as the backend drives it: Express accounts and their onboarding, transfers,
payouts on a connected account, and the signed Connect and platform events each sends."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
import stripe

from tests.stripe_emulator.conftest import (
    CONNECT_SECRET,
    SECRET,
    EmulatorThread,
    Receiver,
    emulator_config,
    sdk_client,
)
from tools.stripe_emulator import Running

# The SDK's HTTPXClient uploads its form body with `data=`, which httpx deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

RETURN_URL = "http://localhost:5173/creator/payouts?onboarding=done"
REFRESH_URL = "http://localhost:5173/creator/payouts?onboarding=refresh"
ACCOUNT_KEYS = {
    "id",
    "object",
    "business_profile",
    "business_type",
    "capabilities",
    "charges_enabled",
    "controller",
    "country",
    "created",
    "default_currency",
    "details_submitted",
    "email",
    "external_accounts",
    "future_requirements",
    "metadata",
    "payouts_enabled",
    "requirements",
    "settings",
    "tos_acceptance",
    "type",
}
REQUIREMENT_KEYS = {
    "alternatives",
    "current_deadline",
    "currently_due",
    "disabled_reason",
    "errors",
    "eventually_due",
    "past_due",
    "pending_verification",
}


def account_params(user_id: str = "user-7", interval: str = "manual") -> dict[str, Any]:
    """What the backend sends to create a creator's Express account."""
    return {
        "type": "express",
        "country": "US",
        "email": f"{user_id}@example.com",
        "capabilities": {"transfers": {"requested": True}},
        "business_type": "individual",
        "metadata": {"user_id": user_id},
        "settings": {"payouts": {"schedule": {"interval": interval}}},
    }


def verify(body: bytes, signature: str, secret: str = CONNECT_SECRET) -> stripe.Event:
    event: stripe.Event = stripe.Webhook.construct_event(body, signature, secret)
    return event


async def new_account(sdk: stripe.StripeClient, interval: str = "manual") -> stripe.Account:
    params = account_params(f"user-{uuid.uuid4().hex[:8]}", interval)
    return await sdk.v1.accounts.create_async(params=params)  # type: ignore[arg-type]


async def onboarded_account(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, interval: str = "manual"
) -> stripe.Account:
    account = await new_account(sdk, interval)
    (await acontrol.post(f"/_emulator/accounts/{account.id}/onboard")).raise_for_status()
    return account


async def link_for(sdk: stripe.StripeClient, account_id: str) -> stripe.AccountLink:
    return await sdk.v1.account_links.create_async(
        params={
            "account": account_id,
            "refresh_url": REFRESH_URL,
            "return_url": RETURN_URL,
            "type": "account_onboarding",
        }
    )


def browser_url(link: stripe.AccountLink) -> str:
    return link.url.replace("localhost", "127.0.0.1")


async def test_create_account_is_idempotent_and_retrievable(sdk: stripe.StripeClient) -> None:
    key = f"creator-account-{uuid.uuid4()}"
    params = account_params("user-idem")

    first = await sdk.v1.accounts.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    again = await sdk.v1.accounts.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )

    assert first.id.startswith("acct_")
    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert set(first.to_dict()) == ACCOUNT_KEYS
    assert (first.object, first.type, first.country, first.email) == (
        "account",
        "express",
        "US",
        "user-idem@example.com",
    )
    assert first.default_currency == "usd"
    assert (first.details_submitted, first.charges_enabled, first.payouts_enabled) == (
        False,
        False,
        False,
    )
    assert first.to_dict()["capabilities"] == {"transfers": "inactive"}
    assert first.to_dict()["metadata"] == {"user_id": "user-idem"}
    assert first.to_dict()["settings"]["payouts"]["schedule"]["interval"] == "manual"
    requirements = first.to_dict()["requirements"]
    assert set(requirements) == REQUIREMENT_KEYS
    assert "external_account" in requirements["currently_due"]
    assert requirements["past_due"] == requirements["currently_due"]
    assert requirements["disabled_reason"] == "requirements.past_due"
    assert requirements["current_deadline"] is None

    with pytest.raises(stripe.IdempotencyError) as raised:
        await sdk.v1.accounts.create_async(
            params=account_params("someone-else"),  # type: ignore[arg-type]
            options={"idempotency_key": key},
        )
    assert raised.value.http_status == 400

    fetched = await sdk.v1.accounts.retrieve_async(first.id)
    assert fetched.to_dict() == first.to_dict()
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await sdk.v1.accounts.retrieve_async("acct_missing")
    assert missing.value.code == "resource_missing"


async def test_onboarding_through_the_hosted_page_enables_the_account(
    sdk: stripe.StripeClient, emulator: Running, connect_receiver: Receiver, receiver: Receiver
) -> None:
    account = await new_account(sdk)
    link = await link_for(sdk, account.id)
    assert link.object == "account_link"
    assert link.url.startswith(f"{emulator.config.base_url}/connect/onboarding/")
    assert link.expires_at > link.created

    async with httpx.AsyncClient(timeout=5) as browser:
        page = await browser.get(browser_url(link))
        assert page.status_code == 200
        assert account.id in page.text
        assert str(account.email) in page.text
        assert 'data-testid="leave-onboarding"' in page.text
        complete = re.search(
            r'<form method="post" action="([^"]+)"><button[^>]*data-testid="complete-onboarding"',
            page.text,
        )
        assert complete is not None
        done = await browser.post(f"{emulator.api_base}{complete.group(1)}")
        assert done.status_code == 303
        assert done.headers["location"] == RETURN_URL

        # An Account Link works once: opening it again sends the person to refresh_url.
        again = await browser.get(browser_url(link))
        assert again.status_code == 303
        assert again.headers["location"] == REFRESH_URL

    [updated] = connect_receiver.wait_for(account.id, "account.updated")
    event = verify(updated.body, updated.signature)
    assert updated.event["account"] == account.id
    enabled = event.data.object
    assert (enabled["details_submitted"], enabled["charges_enabled"]) == (True, True)
    assert enabled["payouts_enabled"] is True
    assert enabled["capabilities"]["transfers"] == "active"
    assert enabled["requirements"]["currently_due"] == []
    assert enabled["requirements"]["disabled_reason"] is None
    assert enabled["external_accounts"]["data"][0]["object"] == "bank_account"
    previous = updated.event["data"]["previous_attributes"]
    assert previous["payouts_enabled"] is False
    assert previous["capabilities"] == {"transfers": "inactive"}
    assert previous["requirements"]["currently_due"]
    with pytest.raises(stripe.SignatureVerificationError):
        verify(updated.body, updated.signature, SECRET)  # not the platform endpoint's secret
    assert receiver.delivered(account.id) == []

    fetched = await sdk.v1.accounts.retrieve_async(account.id)
    assert fetched.payouts_enabled is True


async def test_leave_for_later_keeps_the_account_restricted(
    sdk: stripe.StripeClient, emulator: Running, connect_receiver: Receiver
) -> None:
    account = await new_account(sdk)
    link = await link_for(sdk, account.id)
    async with httpx.AsyncClient(timeout=5) as browser:
        assert (await browser.get(browser_url(link))).status_code == 200
        left = await browser.post(f"{browser_url(link)}/leave")
    assert left.status_code == 303
    assert left.headers["location"] == RETURN_URL

    [updated] = connect_receiver.wait_for(account.id, "account.updated")
    restricted = verify(updated.body, updated.signature).data.object
    assert restricted["details_submitted"] is False
    assert restricted["payouts_enabled"] is False
    assert restricted["capabilities"]["transfers"] == "inactive"
    assert "external_account" in restricted["requirements"]["currently_due"]
    assert "requirements" in updated.event["data"]["previous_attributes"]

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await sdk.v1.transfers.create_async(
            params={"amount": 500, "currency": "usd", "destination": account.id}
        )
    assert refused.value.http_status == 400
    assert refused.value.code == "insufficient_capabilities_for_transfer"
    assert refused.value.param == "destination"


def test_an_expired_link_sends_the_person_to_refresh_url(
    receiver: Receiver, connect_receiver: Receiver
) -> None:
    config = emulator_config(receiver, connect_receiver, account_link_ttl=0)
    with EmulatorThread(config) as running:
        sdk = sdk_client(running)
        account = sdk.v1.accounts.create(params=account_params())  # type: ignore[arg-type]
        link = sdk.v1.account_links.create(
            params={
                "account": account.id,
                "refresh_url": REFRESH_URL,
                "return_url": RETURN_URL,
                "type": "account_onboarding",
            }
        )
        with httpx.Client(timeout=5) as browser:
            opened = browser.get(browser_url(link))
            finished = browser.post(f"{browser_url(link)}/complete")
        assert sdk.v1.accounts.retrieve(account.id).payouts_enabled is False

    assert (opened.status_code, opened.headers["location"]) == (303, REFRESH_URL)
    assert (finished.status_code, finished.headers["location"]) == (303, REFRESH_URL)


async def test_transfer_is_idempotent_and_a_platform_event(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    key = f"payout-{uuid.uuid4()}"
    params: dict[str, Any] = {
        "amount": 1200,
        "currency": "usd",
        "destination": account.id,
        "metadata": {"payout_id": "payout-1"},
        "transfer_group": "payout-1",
        "description": "Creator payout",
    }

    transfer = await sdk.v1.transfers.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    replay = await sdk.v1.transfers.create_async(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )

    assert transfer.id.startswith("tr_")
    assert replay.id == transfer.id
    assert (transfer.amount, transfer.currency, transfer.destination) == (1200, "usd", account.id)
    assert (transfer.amount_reversed, transfer.reversed) == (0, False)
    assert transfer.to_dict()["metadata"] == {"payout_id": "payout-1"}
    with pytest.raises(stripe.IdempotencyError):
        await sdk.v1.transfers.create_async(
            params=params | {"amount": 1300},  # type: ignore[arg-type]
            options={"idempotency_key": key},
        )

    [created] = receiver.wait_for(transfer.id, "transfer.created")
    event = verify(created.body, created.signature, SECRET)
    assert "account" not in created.event
    assert event.data.object["destination"] == account.id
    assert created.event["request"]["idempotency_key"] == key
    fetched = await sdk.v1.transfers.retrieve_async(transfer.id, params={"expand": ["destination"]})
    assert fetched.amount == 1200
    assert isinstance(fetched.destination, stripe.Account)
    assert fetched.destination.id == account.id
    assert await _balance(acontrol, account.id) == [{"amount": 1200, "currency": "usd"}]

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await sdk.v1.transfers.create_async(
            params={"amount": 100, "currency": "usd", "destination": "acct_unknown"}
        )
    assert (unknown.value.http_status, unknown.value.code) == (400, "resource_missing")
    assert unknown.value.param == "destination"


def test_transfer_is_refused_when_the_platform_balance_is_too_low(
    receiver: Receiver, connect_receiver: Receiver
) -> None:
    with EmulatorThread(emulator_config(receiver, connect_receiver)) as running:
        sdk = sdk_client(running)
        with httpx.Client(base_url=running.api_base, timeout=5) as control:
            account = sdk.v1.accounts.create(params=account_params())  # type: ignore[arg-type]
            control.post(f"/_emulator/accounts/{account.id}/onboard").raise_for_status()
            set_to = control.post("/_emulator/balance", json={"available": 500})
            assert set_to.json() == {"available": 500}

            def transfer(amount: int) -> stripe.Transfer:
                return sdk.v1.transfers.create(
                    params={"amount": amount, "currency": "usd", "destination": account.id}
                )

            with pytest.raises(stripe.InvalidRequestError) as refused:
                transfer(501)
            assert (refused.value.http_status, refused.value.code) == (400, "balance_insufficient")
            assert "insufficient available funds" in str(refused.value)

            assert transfer(500).amount == 500
            assert control.get("/_emulator/balance").json() == {"available": 0}
            with pytest.raises(stripe.InvalidRequestError):
                transfer(1)
            control.post("/_emulator/balance", json={"available": None}).raise_for_status()
            assert transfer(10_000).amount == 10_000


async def test_manual_payout_is_paid(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    await sdk.v1.transfers.create_async(
        params={"amount": 1000, "currency": "usd", "destination": account.id}
    )
    key = f"payout-{uuid.uuid4()}"
    params: dict[str, Any] = {
        "amount": 600,
        "currency": "usd",
        "metadata": {"payout_id": "payout-2"},
        "description": "Digis earnings",
    }
    options: dict[str, Any] = {"stripe_account": account.id, "idempotency_key": key}

    payout = await sdk.v1.payouts.create_async(params=params, options=options)  # type: ignore[arg-type]
    replay = await sdk.v1.payouts.create_async(params=params, options=options)  # type: ignore[arg-type]

    assert payout.id.startswith("po_")
    assert replay.id == payout.id
    assert (payout.status, payout.automatic, payout.method, payout.type) == (
        "pending",
        False,
        "standard",
        "bank_account",
    )
    assert isinstance(payout.destination, str)
    assert payout.destination.startswith("ba_")
    assert payout.arrival_date >= payout.created
    assert (payout.failure_code, payout.failure_message) == (None, None)
    assert payout.to_dict()["metadata"] == {"payout_id": "payout-2"}

    [created] = connect_receiver.wait_for(payout.id, "payout.created")
    [paid] = connect_receiver.wait_for(payout.id, "payout.paid")
    assert created.event["account"] == paid.event["account"] == account.id
    assert verify(paid.body, paid.signature).data.object["status"] == "paid"
    assert paid.event["request"]["id"] is None  # the bank paid it, no API call
    assert created.event["request"]["idempotency_key"] == key

    fetched = await sdk.v1.payouts.retrieve_async(payout.id, options={"stripe_account": account.id})
    assert fetched.status == "paid"
    with pytest.raises(stripe.InvalidRequestError) as platform:
        await sdk.v1.payouts.retrieve_async(payout.id)
    assert "Stripe-Account" in str(platform.value)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await sdk.v1.payouts.create_async(
            params={"amount": 401, "currency": "usd"}, options={"stripe_account": account.id}
        )
    assert (refused.value.http_status, refused.value.code) == (400, "balance_insufficient")
    assert await _balance(acontrol, account.id) == [{"amount": 400, "currency": "usd"}]


async def test_a_paid_payout_can_fail_and_the_money_comes_back(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    await sdk.v1.transfers.create_async(
        params={"amount": 800, "currency": "usd", "destination": account.id}
    )
    payout = await sdk.v1.payouts.create_async(
        params={"amount": 800, "currency": "usd"}, options={"stripe_account": account.id}
    )
    connect_receiver.wait_for(payout.id, "payout.paid")
    assert await _balance(acontrol, account.id) == [{"amount": 0, "currency": "usd"}]

    failed = await acontrol.post(f"/_emulator/payouts/{payout.id}/fail", json={})
    assert failed.status_code == 200
    assert failed.json()["status"] == "failed"

    [event] = connect_receiver.wait_for(payout.id, "payout.failed")
    assert event.event["account"] == account.id
    payload = verify(event.body, event.signature).data.object
    assert payload["failure_code"] == "account_closed"
    assert payload["failure_message"] == "The bank account has been closed."
    assert await _balance(acontrol, account.id) == [{"amount": 800, "currency": "usd"}]
    again = await acontrol.post(f"/_emulator/payouts/{payout.id}/fail", json={})
    assert again.status_code == 400


async def test_reversing_a_transfer_sends_transfer_reversed(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    transfer = await sdk.v1.transfers.create_async(
        params={"amount": 1000, "currency": "usd", "destination": account.id}
    )

    reversal = await sdk.v1.transfers.reversals.create_async(transfer.id, params={"amount": 300})
    assert reversal.id.startswith("trr_")
    assert (reversal.object, reversal.amount, reversal.transfer) == (
        "transfer_reversal",
        300,
        transfer.id,
    )
    rest = await acontrol.post(f"/_emulator/transfers/{transfer.id}/reverse", json={})
    assert rest.json()["amount"] == 700

    first, second = receiver.wait_for(transfer.id, "transfer.reversed", count=2)
    assert "account" not in first.event
    partly = verify(first.body, first.signature, SECRET).data.object
    fully = verify(second.body, second.signature, SECRET).data.object
    assert (partly["amount_reversed"], partly["reversed"]) == (300, False)
    assert (fully["amount_reversed"], fully["reversed"]) == (1000, True)
    assert [r["amount"] for r in fully["reversals"]["data"]] == [700, 300]
    assert await _balance(acontrol, account.id) == [{"amount": 0, "currency": "usd"}]
    with pytest.raises(stripe.InvalidRequestError):
        await sdk.v1.transfers.reversals.create_async(transfer.id)


async def test_accounts_on_an_automatic_schedule_get_a_payout_per_transfer(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol, interval="daily")
    await sdk.v1.transfers.create_async(
        params={"amount": 700, "currency": "usd", "destination": account.id}
    )

    [created] = connect_receiver.wait_for_account(account.id, "payout.created")
    verify(created.body, created.signature)
    payout = created.event["data"]["object"]
    assert (payout["automatic"], payout["amount"], payout["metadata"]) == (True, 700, {})
    connect_receiver.wait_for(payout["id"], "payout.paid")
    listed = (await acontrol.get("/_emulator/payouts", params={"account": account.id})).json()[
        "data"
    ]
    assert [(p["id"], p["status"], p["account"]) for p in listed] == [
        (payout["id"], "paid", account.id)
    ]


async def test_a_restricted_account_cannot_be_paid(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    connect_receiver.wait_for(account.id, "account.updated")

    restricted = (await acontrol.post(f"/_emulator/accounts/{account.id}/restrict")).json()
    assert restricted["payouts_enabled"] is False

    _, updated = connect_receiver.wait_for(account.id, "account.updated", count=2)
    requirements = updated.event["data"]["object"]["requirements"]
    assert requirements["past_due"] == requirements["currently_due"] != []
    assert requirements["disabled_reason"] == "requirements.past_due"
    assert updated.event["data"]["previous_attributes"]["payouts_enabled"] is True
    with pytest.raises(stripe.InvalidRequestError) as payout:
        await sdk.v1.payouts.create_async(
            params={"amount": 100, "currency": "usd"}, options={"stripe_account": account.id}
        )
    assert payout.value.code == "payouts_not_allowed"
    with pytest.raises(stripe.InvalidRequestError) as transfer:
        await sdk.v1.transfers.create_async(
            params={"amount": 100, "currency": "usd", "destination": account.id}
        )
    assert transfer.value.code == "insufficient_capabilities_for_transfer"


async def test_the_dashboard_fails_a_payout_from_the_browser(
    sdk: stripe.StripeClient,
    emulator: Running,
    acontrol: httpx.AsyncClient,
    connect_receiver: Receiver,
) -> None:
    account = await onboarded_account(sdk, acontrol)
    transfer = await sdk.v1.transfers.create_async(
        params={"amount": 900, "currency": "usd", "destination": account.id}
    )
    payout = await sdk.v1.payouts.create_async(
        params={"amount": 900, "currency": "usd"}, options={"stripe_account": account.id}
    )

    async with httpx.AsyncClient(base_url=emulator.api_base, timeout=5) as browser:
        page = (await browser.get("/connect/dashboard")).text
        assert f'data-testid="reverse-transfer-{transfer.id}"' in page
        fail = re.search(
            rf'<form method="post" action="([^"]+)"><button[^>]*'
            rf'data-testid="fail-payout-{payout.id}"',
            page,
        )
        assert fail is not None
        response = await browser.post(fail.group(1))
        assert (response.status_code, response.headers["location"]) == (303, "/connect/dashboard")
        assert (
            f'data-testid="fail-payout-{payout.id}"'
            not in (await browser.get("/connect/dashboard")).text
        )

    connect_receiver.wait_for(payout.id, "payout.failed")


async def test_an_unknown_stripe_account_is_403(sdk: stripe.StripeClient) -> None:
    with pytest.raises(stripe.PermissionError) as raised:
        await sdk.v1.payouts.create_async(
            params={"amount": 100, "currency": "usd"}, options={"stripe_account": "acct_nope"}
        )
    assert raised.value.http_status == 403
    assert "does not have access to account 'acct_nope'" in str(raised.value)


async def test_connect_events_are_recorded_with_their_account(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    connect_receiver.wait_for(account.id, "account.updated")

    # Recorded before it was delivered: the delivery above means the record is there.
    response = await acontrol.get("/_emulator/events", params={"account": account.id})
    [record] = response.json()["data"]
    assert (record["type"], record["account"], record["object_id"]) == (
        "account.updated",
        account.id,
        account.id,
    )
    event = await sdk.v1.events.retrieve_async(record["id"], options={"stripe_account": account.id})
    assert event.account == account.id
    with pytest.raises(stripe.InvalidRequestError):
        await sdk.v1.events.retrieve_async(record["id"])  # a Connect event, asked as the platform


async def _balance(acontrol: httpx.AsyncClient, account_id: str) -> list[dict[str, Any]]:
    accounts = (await acontrol.get("/_emulator/accounts")).json()["data"]
    [found] = [account for account in accounts if account["id"] == account_id]
    available: list[dict[str, Any]] = found["balance"]["available"]
    return available


async def test_a_transfer_already_paid_out_cannot_be_reversed(
    sdk: stripe.StripeClient, acontrol: httpx.AsyncClient, connect_receiver: Receiver
) -> None:
    account = await onboarded_account(sdk, acontrol)
    transfer = await sdk.v1.transfers.create_async(
        params={"amount": 500, "currency": "usd", "destination": account.id}
    )
    await sdk.v1.payouts.create_async(
        params={"amount": 500, "currency": "usd"}, options={"stripe_account": account.id}
    )

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await sdk.v1.transfers.reversals.create_async(transfer.id)
    assert refused.value.code == "balance_insufficient"
    assert (await sdk.v1.transfers.retrieve_async(transfer.id)).amount_reversed == 0


def test_a_pending_payout_can_fail_before_it_is_paid(
    receiver: Receiver, connect_receiver: Receiver
) -> None:
    config = emulator_config(receiver, connect_receiver, payout_delay=600)
    with EmulatorThread(config) as running, httpx.Client(base_url=running.api_base) as control:
        sdk = sdk_client(running)
        account = sdk.v1.accounts.create(params=account_params())  # type: ignore[arg-type]
        control.post(f"/_emulator/accounts/{account.id}/onboard").raise_for_status()
        sdk.v1.transfers.create(
            params={"amount": 300, "currency": "usd", "destination": account.id}
        )
        payout = sdk.v1.payouts.create(
            params={"amount": 300, "currency": "usd"}, options={"stripe_account": account.id}
        )
        assert payout.status == "pending"

        failed = control.post(
            f"/_emulator/payouts/{payout.id}/fail", json={"failure_code": "no_account"}
        ).json()
        assert (failed["status"], failed["failure_code"]) == ("failed", "no_account")
        [event] = connect_receiver.wait_for(payout.id, "payout.failed")
        assert verify(event.body, event.signature).data.object["failure_code"] == "no_account"
        unknown = control.post(
            f"/_emulator/payouts/{payout.id}/fail", json={"failure_code": "bad_luck"}
        )
        assert unknown.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "param", "code"),
    [
        ({"type": "standard"}, "type", None),
        ({"capabilities": {"teleport": {"requested": True}}}, "capabilities[teleport]", None),
        ({"capabilities": {}}, "capabilities", "parameter_missing"),
        ({"email": "not-an-email"}, "email", "email_invalid"),
        ({"settings": {"payouts": {"schedule": {"interval": "hourly"}}}}, None, None),
        ({"country": "ZZ"}, "default_currency", None),
    ],
)
def test_bad_account_parameters_are_400(
    sdk: stripe.StripeClient, overrides: dict[str, Any], param: str | None, code: str | None
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.v1.accounts.create(params=account_params() | overrides)  # type: ignore[arg-type]
    assert raised.value.http_status == 400
    if param is not None:
        assert raised.value.param == param
    if code is not None:
        assert raised.value.code == code


def test_account_links_are_for_onboarding_with_both_urls(sdk: stripe.StripeClient) -> None:
    account = sdk.v1.accounts.create(params=account_params())  # type: ignore[arg-type]
    base = {"account": account.id, "refresh_url": REFRESH_URL, "return_url": RETURN_URL}
    with pytest.raises(stripe.InvalidRequestError) as update:
        sdk.v1.account_links.create(params=base | {"type": "account_update"})  # type: ignore[arg-type]
    assert update.value.param == "type"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        sdk.v1.account_links.create(
            params={"account": account.id, "return_url": RETURN_URL, "type": "account_onboarding"}
        )
    assert (missing.value.param, missing.value.code) == ("refresh_url", "parameter_missing")
