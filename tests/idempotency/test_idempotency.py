"""Idempotency-Key: a retried money request replays its first answer and acts once."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest
from tortoise import connections, timezone

from backend.idempotency.keys import prune_expired
from backend.idempotency.models import IdempotencyKey
from backend.settings import Settings
from backend.wallet.models import Tip
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import assert_ledger_consistent, balance, fund, jobs_finished

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


@pytest.fixture(autouse=True)
async def _ledger_stays_consistent(worker: Process) -> AsyncIterator[None]:
    yield
    await jobs_finished()
    await assert_ledger_consistent()


async def tip(
    client: httpx.AsyncClient, fan: Account, creator: Account, amount: int, key: str | None
) -> httpx.Response:
    headers = fan.auth | ({"Idempotency-Key": key} if key else {})
    return await client.post(
        "/api/tips", json={"creator": creator.handle, "amount": amount}, headers=headers
    )


async def pair(tokens: int = 100) -> tuple[Account, Account]:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, tokens)
    return fan, creator


async def test_the_same_key_and_body_replay_the_first_response(client: httpx.AsyncClient) -> None:
    fan, creator = await pair()
    first = await tip(client, fan, creator, 10, "tip-1")

    again = await client.post(  # the same JSON, written differently
        "/api/tips",
        content=json.dumps({"amount": 10, "creator": creator.handle}, indent=4),
        headers=fan.auth | {"Idempotency-Key": "tip-1", "Content-Type": "application/json"},
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await Tip.all().count() == 1
    assert await balance(fan) == 90


async def test_the_same_key_with_another_body_is_422(client: httpx.AsyncClient) -> None:
    fan, creator = await pair()
    assert (await tip(client, fan, creator, 10, "tip-2")).status_code == 201

    other = await tip(client, fan, creator, 11, "tip-2")

    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert await balance(fan) == 90


async def test_a_key_still_in_flight_is_409_then_replays_once_done(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    fan, creator = await pair()
    blocker = await asyncpg.connect(str(settings.database_url))
    try:
        await blocker.execute("BEGIN")  # hold the fan's wallet: the first request waits
        await blocker.execute("SELECT 1 FROM wallets WHERE owner_id = $1 FOR UPDATE", fan.id)
        first = asyncio.create_task(tip(client, fan, creator, 10, "tip-3"))
        await eventually(lambda: _blocked_by(blocker), lambda n: n >= 1)

        during = await tip(client, fan, creator, 10, "tip-3")

        assert during.status_code == 409
        assert during.json()["error"]["code"] == "idempotency_key_in_flight"
        await blocker.execute("ROLLBACK")
    finally:
        await blocker.close()
    done = await first
    assert done.status_code == 201
    after = await tip(client, fan, creator, 10, "tip-3")
    assert (after.status_code, after.json()) == (201, done.json())
    assert await balance(fan) == 90


async def test_a_request_whose_claim_was_taken_over_rolls_back(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Two requests with one key can never both take effect: the one that lost its claim
    (its lease ran out and a retry took over) cannot commit."""
    fan, creator = await pair()
    blocker = await asyncpg.connect(str(settings.database_url))
    try:
        await blocker.execute("BEGIN")
        await blocker.execute("SELECT 1 FROM wallets WHERE owner_id = $1 FOR UPDATE", fan.id)
        slow = asyncio.create_task(tip(client, fan, creator, 10, "tip-4"))
        await eventually(lambda: _blocked_by(blocker), lambda n: n >= 1)
        await IdempotencyKey.filter(user_id=fan.id, key="tip-4").update(lease=uuid.uuid4())
        await blocker.execute("ROLLBACK")
    finally:
        await blocker.close()

    lost = await slow

    assert lost.status_code == 409
    assert lost.json()["error"]["code"] == "idempotency_key_in_flight"
    assert await Tip.all().count() == 0
    assert await balance(fan) == 100


async def test_an_abandoned_claim_is_taken_over_by_the_retry(client: httpx.AsyncClient) -> None:
    fan, creator = await pair()
    assert (await tip(client, fan, creator, 10, "tip-5")).status_code == 201
    # As if the request had died before storing its answer, its lease long gone.
    await IdempotencyKey.filter(user_id=fan.id, key="tip-5").update(
        response_status=None, response_body=None, locked_until=timezone.now() - timedelta(hours=1)
    )
    other_body = await tip(client, fan, creator, 99, "tip-5")
    assert other_body.status_code == 422  # only the same request may take it over

    retry = await tip(client, fan, creator, 10, "tip-5")

    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers


async def test_keys_belong_to_one_user(client: httpx.AsyncClient) -> None:
    first_fan, creator = await pair()
    second_fan = await create_account("fan")
    await fund(second_fan, 100)

    one = await tip(client, first_fan, creator, 10, "shared-key")
    two = await tip(client, second_fan, creator, 10, "shared-key")

    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["tip_id"] != two.json()["tip_id"]
    assert await balance(creator) == 20


async def test_an_error_answer_is_replayed_too(client: httpx.AsyncClient) -> None:
    fan, creator = await pair(tokens=5)
    refused = await tip(client, fan, creator, 10, "tip-6")
    assert refused.status_code == 409
    await fund(fan, 100)

    again = await tip(client, fan, creator, 10, "tip-6")

    assert (again.status_code, again.json()) == (409, refused.json())
    fresh = await tip(client, fan, creator, 10, "tip-7")
    assert fresh.status_code == 201


async def test_keys_expire_after_24_hours(client: httpx.AsyncClient) -> None:
    fan, creator = await pair()
    first = await tip(client, fan, creator, 10, "tip-8")
    await IdempotencyKey.filter(user_id=fan.id, key="tip-8").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    later = await tip(client, fan, creator, 10, "tip-8")

    assert later.status_code == 201
    assert later.json()["tip_id"] != first.json()["tip_id"]
    assert await balance(fan) == 80
    [stored] = await IdempotencyKey.filter(user_id=fan.id, key="tip-8")
    assert stored.expires_at - stored.created_at == timedelta(hours=24)


async def test_expired_keys_are_pruned(client: httpx.AsyncClient) -> None:
    fan, creator = await pair()
    await tip(client, fan, creator, 1, "old")
    await tip(client, fan, creator, 1, "new")
    await IdempotencyKey.filter(key="old").update(expires_at=timezone.now() - timedelta(minutes=1))

    assert await prune_expired() == 1
    assert [row.key for row in await IdempotencyKey.all()] == ["new"]


@pytest.mark.parametrize("key", ["", "x" * 256, "has space"])
async def test_a_malformed_key_is_422(client: httpx.AsyncClient, key: str) -> None:
    fan, creator = await pair()
    response = await client.post(
        "/api/tips",
        json={"creator": creator.handle, "amount": 1},
        headers=fan.auth | {"Idempotency-Key": key},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "Idempotency-Key"
    assert await balance(fan) == 100


async def _blocked_by(conn: asyncpg.Connection) -> int:
    rows = await connections.get("default").execute_query_dict(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
        [conn.get_server_pid()],
    )
    return int(rows[0]["n"])
