"""Signed-out visitors read creators: discovery, profiles and followers need no token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from backend.settings import Settings
from tests.creators.support import follow, handles
from tests.support.accounts import create_account
from tests.support.server import serve

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_a_visitor_lists_creators_newest_and_most_followed(
    client: httpx.AsyncClient,
) -> None:
    older, newer = await create_account("creator"), await create_account("creator")
    fan = await create_account("fan")
    await follow(client, fan, older.handle)

    popular = await client.get("/api/creators", params={"sort": "popular", "limit": 6})
    new = await client.get("/api/creators", params={"sort": "new", "limit": 6})

    assert popular.status_code == 200, popular.text
    assert handles(popular.json()["items"])[:2] == [older.handle, newer.handle]
    assert new.status_code == 200, new.text
    assert handles(new.json()["items"])[:2] == [newer.handle, older.handle]
    assert fan.handle not in handles(new.json()["items"])


async def test_a_visitor_reads_a_profile_as_not_following(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator", display_name="Ada")
    fan = await create_account("fan")
    await follow(client, fan, creator.handle)

    response = await client.get(f"/api/creators/{creator.handle}")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["display_name"] == "Ada"
    assert body["follower_count"] == 1
    assert body["is_following"] is False
    signed_in = await client.get(f"/api/creators/{creator.handle}", headers=fan.auth)
    assert signed_in.json()["is_following"] is True


async def test_a_visitor_sees_followers_with_their_pictures(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan = await create_account("fan", display_name="Grace")
    await follow(client, fan, creator.handle)
    response = await client.get(f"/api/creators/{creator.handle}/followers")
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item == {"id": fan.id, "handle": fan.handle, "display_name": "Grace", "avatar_url": None}


async def test_the_docs_say_no_sign_in_is_needed(settings: Settings) -> None:
    async with serve(settings) as api:
        document: dict[str, Any] = (await api.get("/openapi.json")).json()
    listing = document["paths"]["/api/creators"]["get"]
    assert listing["security"] == []
    assert "401" not in listing["responses"]
    followers = document["paths"]["/api/creators/{handle}/followers"]["get"]
    assert followers["security"] == []
    # A profile answers without a token; a token (optional) personalises it.
    profile = document["paths"]["/api/creators/{handle}"]["get"]
    assert {} in profile["security"]
