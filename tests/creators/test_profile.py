from __future__ import annotations

import uuid

import httpx
import pytest

from backend.media.models import Media, MediaStatus
from tests.creators.support import follow
from tests.support.accounts import create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def add_media(owner_id: str, status: MediaStatus) -> Media:
    return await Media.create(
        owner_id=uuid.UUID(owner_id),
        status=status,
        content_type="image/jpeg",
        byte_size=1000,
        original_key=f"originals/{uuid.uuid4().hex}",
    )


async def test_profile_counts_followers_and_ready_media(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator", display_name="Ada Lovelace")
    fan = await create_account("fan")
    await follow(client, fan, creator.handle)
    await follow(client, await create_account("fan"), creator.handle)
    for status in (
        MediaStatus.READY,
        MediaStatus.READY,
        MediaStatus.PROCESSING,
        MediaStatus.FAILED,
    ):
        await add_media(creator.id, status)

    response = await client.get(f"/api/creators/{creator.handle}")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": creator.id,
        "handle": creator.handle,
        "display_name": "Ada Lovelace",
        "avatar_url": None,
        "bio": "",
        "follower_count": 2,
        "media_count": 2,
        "is_following": False,
        "created_at": creator.user["created_at"],
    }


async def test_is_following_is_personal(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan, stranger = await create_account("fan"), await create_account("fan")
    await follow(client, fan, creator.handle)
    path = f"/api/creators/{creator.handle.upper()}"
    assert (await client.get(path, headers=fan.auth)).json()["is_following"] is True
    assert (await client.get(path, headers=stranger.auth)).json()["is_following"] is False
    assert (await client.get(path)).json()["is_following"] is False


async def test_an_invalid_token_is_401_not_anonymous(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    response = await client.get(
        f"/api/creators/{creator.handle}", headers={"Authorization": "Bearer forged"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


async def test_unknown_handles_and_non_creators_are_404(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    for handle in ("nobody_here", fan.handle):
        response = await client.get(f"/api/creators/{handle}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
