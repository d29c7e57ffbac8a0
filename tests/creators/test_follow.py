from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from backend.creators.models import CreatorStats, Follow
from backend.creators.service import FOLLOW_RECEIVED
from backend.outbox.models import OutboxJob
from tests.creators.support import follow, unfollow
from tests.support.accounts import create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def _follower_count(creator_id: str) -> int:
    stats = await CreatorStats.get(user_id=uuid.UUID(creator_id))
    return stats.follower_count


async def test_follow_is_idempotent_and_queues_one_notice(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan = await create_account("fan")
    first = await follow(client, fan, creator.handle.upper())
    again = await follow(client, fan, creator.handle)
    assert first == again == {"handle": creator.handle, "following": True, "follower_count": 1}
    assert await Follow.filter(creator_id=uuid.UUID(creator.id)).count() == 1
    assert await OutboxJob.filter(task=FOLLOW_RECEIVED).count() == 1


async def test_unfollow_is_idempotent(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan, other = await create_account("fan"), await create_account("fan")
    await follow(client, fan, creator.handle)
    await follow(client, other, creator.handle)
    first = await unfollow(client, fan, creator.handle)
    again = await unfollow(client, fan, creator.handle)
    assert first == again == {"handle": creator.handle, "following": False, "follower_count": 1}
    never = await unfollow(client, await create_account("fan"), creator.handle)
    assert never == {"handle": creator.handle, "following": False, "follower_count": 1}
    assert await _follower_count(creator.id) == 1
    # Following again after unfollowing is a new follow, and a new notice job.
    assert (await follow(client, fan, creator.handle))["follower_count"] == 2
    assert await OutboxJob.filter(task=FOLLOW_RECEIVED).count() == 3


async def test_creators_may_follow_other_creators(client: httpx.AsyncClient) -> None:
    creator, other = await create_account("creator"), await create_account("creator")
    assert (await follow(client, other, creator.handle))["follower_count"] == 1


async def test_a_hundred_fans_following_at_once_count_exactly(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(100)]

    async def put(fan_auth: dict[str, str]) -> int:
        response = await client.put(f"/api/creators/{creator.handle}/follow", headers=fan_auth)
        assert response.status_code == 200, response.text
        count: int = response.json()["follower_count"]
        return count

    counts = await asyncio.gather(*(put(fan.auth) for fan in fans))
    assert sorted(counts) == list(range(1, 101))  # every follow saw its own increment
    assert await _follower_count(creator.id) == 100
    profile = (await client.get(f"/api/creators/{creator.handle}")).json()
    assert profile["follower_count"] == 100

    async def delete(fan_auth: dict[str, str]) -> None:
        response = await client.delete(f"/api/creators/{creator.handle}/follow", headers=fan_auth)
        assert response.status_code == 200, response.text

    await asyncio.gather(*(delete(fan.auth) for fan in fans[:60]))
    assert await _follower_count(creator.id) == 40


async def test_racing_follows_and_unfollows_keep_the_count_equal_to_the_follows(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(10)]
    path = f"/api/creators/{creator.handle}/follow"
    calls = [
        client.request(method, path, headers=fan.auth)
        for fan in fans
        for method in ("PUT", "PUT", "DELETE", "PUT")
    ]
    responses = await asyncio.gather(*calls)
    assert {response.status_code for response in responses} == {200}
    follows = await Follow.filter(creator_id=uuid.UUID(creator.id)).count()
    assert await _follower_count(creator.id) == follows


async def test_following_yourself_or_a_non_creator_is_422(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan = await create_account("fan")
    for account, target in [(creator, creator.handle), (creator, fan.handle), (fan, fan.handle)]:
        for method in ("PUT", "DELETE"):
            response = await client.request(
                method, f"/api/creators/{target}/follow", headers=account.auth
            )
            assert response.status_code == 422, (method, response.text)
            assert response.json()["error"]["details"]["fields"][0]["field"] == "handle"
    assert await Follow.all().count() == 0


async def test_unknown_handle_is_404(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    for method in ("PUT", "DELETE"):
        response = await client.request(
            method, "/api/creators/nobody_here/follow", headers=fan.auth
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_following_needs_a_fan_or_creator_session(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    admin = await create_account("admin")
    path = f"/api/creators/{creator.handle}/follow"
    assert (await client.put(path)).status_code == 401
    bad = await client.put(path, headers={"Authorization": "Bearer not.a.token"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"].startswith("Bearer")
    assert (await client.put(path, headers=admin.auth)).status_code == 403
    assert (await client.delete(path, headers=admin.auth)).status_code == 403
    assert await Follow.all().count() == 0
