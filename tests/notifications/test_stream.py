from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import jwt
import pytest
from redis.asyncio import Redis

from backend.accounts.tokens import ALGORITHM
from backend.notifications import live
from backend.notifications.service import notify
from backend.settings import Settings
from tests.notifications.sse import STREAM, open_stream
from tests.support.accounts import Account, create_account
from tests.support.server import serve, with_overrides
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("database")


async def _subscribers(redis: Redis, settings: Settings, account: Account) -> int:
    [(_, count)] = await redis.pubsub_numsub(live.channel(settings, account.id))
    return int(count)


async def test_stream_pushes_new_notifications(client: httpx.AsyncClient) -> None:
    user, other = await create_account("creator"), await create_account()
    async with open_stream(client, user.auth) as stream:
        assert stream.response.headers["content-type"].startswith("text/event-stream")
        assert stream.response.headers["cache-control"] == "no-store"
        assert await stream.block() == ["retry: 5000"]
        await notify(uuid.UUID(other.id), "tip", {"amount": 1})  # someone else's
        notice = await notify(uuid.UUID(user.id), "tip", {"amount": 7, "from": "ada"})
        assert notice is not None
        pushed = await stream.notification()
    listed = (await client.get("/api/notifications", headers=user.auth)).json()["items"]
    assert pushed == listed[0]
    assert pushed["id"] == notice.id
    assert pushed["data"] == {"amount": 7, "from": "ada"}


@pytest.fixture
async def quick_api(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(with_overrides(settings, sse_keepalive_seconds=0.2)) as api:
        yield api


async def test_idle_stream_sends_keep_alives(quick_api: httpx.AsyncClient) -> None:
    user = await create_account()
    async with open_stream(quick_api, user.auth) as stream:
        assert await stream.block() == ["retry: 5000"]
        assert await stream.block() == [": keep-alive"]
        assert await stream.block() == [": keep-alive"]
        notice = await notify(uuid.UUID(user.id), "tip", {"amount": 2})
        assert notice is not None
        assert (await stream.notification())["id"] == notice.id


def _token_expiring_in(settings: Settings, token: str, seconds: int) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["exp"] = int(time.time()) + seconds
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


async def test_stream_ends_when_the_access_token_expires(
    client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    user = await create_account()
    short = _token_expiring_in(settings, user.access_token, 2)
    async with open_stream(client, {"Authorization": f"Bearer {short}"}) as stream:
        assert await stream.block() == ["retry: 5000"]
        assert await _subscribers(redis, settings, user) == 1
        assert await stream.block(within=20) == []  # the server ended the stream
    await eventually(lambda: _subscribers(redis, settings, user), lambda count: count == 0)


async def test_a_spent_token_is_refused_rather_than_streamed(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await create_account()
    spent = _token_expiring_in(settings, user.access_token, -5)  # within the leeway
    response = await client.get(STREAM, headers={"Authorization": f"Bearer {spent}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


async def test_disconnecting_ends_the_subscription(
    client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    user = await create_account()
    async with open_stream(client, user.auth) as stream:
        assert await stream.block() == ["retry: 5000"]
        assert await _subscribers(redis, settings, user) == 1
    await eventually(lambda: _subscribers(redis, settings, user), lambda count: count == 0)


async def test_stream_authenticates_by_bearer_header_only(client: httpx.AsyncClient) -> None:
    user = await create_account()
    attempts = [
        client.get(STREAM),
        client.get(STREAM, params={"access_token": user.access_token}),
        client.get(STREAM, params={"token": user.access_token}),
        client.get(STREAM, headers={"Cookie": f"access_token={user.access_token}"}),
        client.get(STREAM, headers={"Authorization": "Bearer forged"}),
    ]
    for response in await asyncio.gather(*attempts):
        assert response.status_code == 401
        assert response.json()["error"]["code"] in {"unauthorized", "invalid_token"}


async def test_open_streams_hold_no_database_connection(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """More streams than the pool has connections, and the database still answers."""
    user = await create_account()
    async with AsyncExitStack() as stack:
        streams = []
        for _ in range(settings.database_pool_max + 2):
            streams.append(await stack.enter_async_context(open_stream(client, user.auth)))
            assert await streams[-1].block() == ["retry: 5000"]
        count = await asyncio.wait_for(
            client.get("/api/notifications/unread-count", headers=user.auth), 20
        )
        assert count.status_code == 200
        assert count.json() == {"count": 0}
        notice = await notify(uuid.UUID(user.id), "tip", {"amount": 3})
        assert notice is not None
        for stream in streams:  # every stream is still open and live
            assert (await stream.notification())["id"] == notice.id
