from __future__ import annotations

import httpx
import pytest

from backend.accounts.models import User
from backend.accounts.roles import Role
from tests.creators.support import follow, handles, unfollow, walk
from tests.support.accounts import create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_my_following_lists_creators_newest_follow_first(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    creators = [await create_account("creator") for _ in range(5)]
    for creator in creators:
        await follow(client, fan, creator.handle)
    await unfollow(client, fan, creators[1].handle)
    await follow(client, fan, creators[0].handle)  # already following: stays where it was
    await follow(client, await create_account("fan"), creators[4].handle)

    pages = await walk(client, "/api/me/following", {"limit": "2"}, fan.auth)
    assert [len(page) for page in pages] == [2, 2]
    items = [item for page in pages for item in page]
    assert handles(items) == [creators[i].handle for i in (4, 3, 2, 0)]
    assert items[0]["follower_count"] == 2
    assert set(items[0]) == {"id", "handle", "display_name", "avatar_url", "bio", "follower_count"}


async def test_followers_lists_users_newest_first(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(3)]
    peer = await create_account("creator")
    for account in [*fans, peer]:
        await follow(client, account, creator.handle)

    body = (await client.get(f"/api/creators/{creator.handle}/followers")).json()
    assert handles(body["items"]) == [peer.handle, *(fan.handle for fan in reversed(fans))]
    assert body["items"][0] == {
        "id": peer.id,
        "handle": peer.handle,
        "display_name": peer.user["display_name"],
        "avatar_url": None,
    }
    pages = await walk(client, f"/api/creators/{creator.handle}/followers", {"limit": "3"})
    assert [len(page) for page in pages] == [3, 1]


async def test_graph_listings_errors(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    assert (await client.get("/api/me/following")).status_code == 401
    bad_cursor = await client.get("/api/me/following", params={"cursor": "x"}, headers=fan.auth)
    assert bad_cursor.status_code == 422
    assert (await client.get("/api/creators/nobody_here/followers")).status_code == 404
    assert (await client.get(f"/api/creators/{fan.handle}/followers")).status_code == 404


async def test_an_account_made_a_creator_is_listed(client: httpx.AsyncClient) -> None:
    account = await create_account("fan")
    assert (await client.get("/api/creators")).json()["items"] == []
    user = await User.get(handle=account.handle)
    user.role = Role.CREATOR
    await user.save(update_fields=["role", "updated_at"])
    assert handles((await client.get("/api/creators")).json()["items"]) == [account.handle]
    assert (await follow(client, await create_account("fan"), account.handle))["following"]
