"""Tips move tokens from a fan to a creator atomically, never below zero, and notify."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
import pytest

from backend.notifications.models import Notification
from backend.wallet.models import Entry, Tip
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import balance, fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def tip(
    client: httpx.AsyncClient, fan: Account, creator: str, amount: int, **extra: object
) -> httpx.Response:
    body = {"creator": creator, "amount": amount, **extra}
    return await client.post("/api/tips", json=body, headers=fan.auth)


async def test_a_tip_moves_tokens_from_the_fan_to_the_creator(client: httpx.AsyncClient) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 100)

    response = await tip(client, fan, creator.handle.upper(), 30, message="  great work  ")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "tip_id": body["tip_id"],
        "creator": creator.handle,
        "amount": 30,
        "balance": 70,
    }
    assert (await client.get("/api/wallet", headers=fan.auth)).json() == {"balance": 70}
    assert (await client.get("/api/wallet", headers=creator.auth)).json() == {"balance": 30}
    stored = await Tip.get(id=body["tip_id"])
    assert stored.message == "great work"

    [sent, bought] = (await client.get("/api/wallet/entries", headers=fan.auth)).json()["items"]
    assert (sent["amount"], sent["kind"], sent["reference"]) == (-30, "tip_sent", body["tip_id"])
    assert sent["description"] == f"Tip to @{creator.handle}"
    assert (bought["amount"], bought["kind"]) == (100, "purchase")
    [received] = (await client.get("/api/wallet/entries", headers=creator.auth)).json()["items"]
    assert (received["amount"], received["kind"]) == (30, "tip_received")
    assert received["description"] == f"Tip from @{fan.handle}"
    # One movement, two entries, summing to zero.
    pair = await Entry.filter(movement_id=stored.movement_id)
    assert sorted(entry.amount for entry in pair) == [-30, 30]


async def test_the_creator_is_notified_with_who_how_much_and_what(
    client: httpx.AsyncClient, worker: Process
) -> None:
    fan = await create_account("fan", display_name="Ada Fan")
    creator = await create_account("creator")
    await fund(fan, 50)
    response = await tip(client, fan, creator.handle, 5, message="for the sunset")
    assert response.status_code == 201

    notice = await eventually(lambda: Notification.filter(recipient_id=creator.id).first())
    assert notice is not None
    assert notice.kind == "tip"
    assert notice.data == {
        "from": {"handle": fan.handle, "display_name": "Ada Fan"},
        "actor": {
            "id": fan.id,
            "handle": fan.handle,
            "display_name": "Ada Fan",
            "avatar_url": None,
            "role": "fan",
        },
        "amount": 5,
        "message": "for the sunset",
    }


async def test_a_tip_the_balance_cannot_cover_is_refused_with_the_balance(
    client: httpx.AsyncClient,
) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 10)

    response = await tip(client, fan, creator.handle, 11)

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "insufficient_balance"
    assert error["details"] == {"balance": 10, "required": 11}
    assert await balance(fan) == 10
    assert await balance(creator) == 0
    assert await Tip.all().count() == 0


async def test_a_fan_without_a_wallet_cannot_tip(client: httpx.AsyncClient) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    response = await tip(client, fan, creator.handle, 1)
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"balance": 0, "required": 1}


async def test_who_can_be_tipped(client: httpx.AsyncClient) -> None:
    fan, other_fan = await create_account("fan"), await create_account("fan")
    creator = await create_account("creator")
    await fund(fan, 10)
    await fund(creator, 10)

    unknown = await tip(client, fan, "nobody_here_at_all", 1)
    assert unknown.status_code == 404
    to_a_fan = await tip(client, fan, other_fan.handle, 1)
    assert to_a_fan.status_code == 422
    assert to_a_fan.json()["error"]["details"]["fields"][0]["field"] == "creator"
    to_self = await tip(client, creator, creator.handle, 1)
    assert to_self.status_code == 422
    assert to_self.json()["error"]["details"]["fields"][0]["message"] == "You cannot tip yourself."
    assert await Tip.all().count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 1},
        {"creator": "someone", "amount": 0},
        {"creator": "someone", "amount": -5},
        {"creator": "someone", "amount": 1.5},
        {"creator": "someone", "amount": 1, "message": "x" * 281},
        {"creator": "bad handle!", "amount": 1},
    ],
)
async def test_invalid_tips_are_422(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    fan = await create_account("fan")
    response = await client.post("/api/tips", json=body, headers=fan.auth)
    assert response.status_code == 422


async def test_tipping_needs_a_signed_in_user(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tips", json={"creator": "someone", "amount": 1})
    assert response.status_code == 401


async def test_200_concurrent_tips_from_a_wallet_holding_50_succeed_exactly_50_times(
    unlimited: httpx.AsyncClient,
) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 50 * 3)

    responses = await asyncio.gather(*(tip(unlimited, fan, creator.handle, 3) for _ in range(200)))

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 50, 409: 150}
    assert await balance(fan) == 0
    assert await balance(creator) == 150
    assert await Tip.filter(fan_id=fan.id).count() == 50
    assert sorted(r.json()["balance"] for r in responses if r.status_code == 201) == list(
        range(0, 150, 3)
    )
    refused = [r.json()["error"] for r in responses if r.status_code == 409]
    assert all(error["code"] == "insufficient_balance" for error in refused)
    assert all(error["details"]["balance"] < 3 for error in refused)


async def test_creators_tipping_each_other_at_once_never_deadlock(
    unlimited: httpx.AsyncClient,
) -> None:
    first, second = await create_account("creator"), await create_account("creator")
    await fund(first, 100)
    await fund(second, 100)

    responses = await asyncio.gather(
        *(tip(unlimited, first, second.handle, 1) for _ in range(40)),
        *(tip(unlimited, second, first.handle, 2) for _ in range(40)),
    )

    assert {response.status_code for response in responses} == {201}
    assert await balance(first) == 100 - 40 + 80
    assert await balance(second) == 100 - 80 + 40


async def test_tip_ids_are_unique_references(client: httpx.AsyncClient) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 10)
    first = await tip(client, fan, creator.handle, 1)
    second = await tip(client, fan, creator.handle, 1)
    ids = {first.json()["tip_id"], second.json()["tip_id"]}
    assert len(ids) == 2
    assert all(uuid.UUID(value) for value in ids)
