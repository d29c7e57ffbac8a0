"""Avatars: one's own ready media, shown at the 320 px thumbnail."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.accounts.models import User
from backend.media.models import Media, MediaStatus
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import create_account

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


async def test_a_ready_media_becomes_the_avatar(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(1200, 900))
    thumbnail = (await settled(client, creator, media_id))["thumbnails"]["320"]["url"]

    response = await client.patch(
        "/api/me", json={"avatar_media_id": media_id}, headers=creator.auth
    )
    assert response.status_code == 200
    assert response.json()["avatar_url"] == thumbnail
    assert (await client.get("/api/me", headers=creator.auth)).json()["avatar_url"] == thumbnail
    assert (await User.get(id=creator.id)).avatar_url == thumbnail
    assert (await client.get(thumbnail)).status_code == 200

    # Other fields leave it alone; null removes it.
    renamed = await client.patch("/api/me", json={"bio": "Photos."}, headers=creator.auth)
    assert renamed.json()["avatar_url"] == thumbnail
    cleared = await client.patch("/api/me", json={"avatar_media_id": None}, headers=creator.auth)
    assert cleared.status_code == 200
    assert cleared.json()["avatar_url"] is None


async def test_only_ones_own_ready_media_can_be_the_avatar(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    other = await create_account("creator")
    others_media = await upload_ok(client, other, images.jpeg(400, 300))
    await settled(client, other, others_media)
    processing = await upload_ok(client, creator, images.jpeg(400, 300))
    await settled(client, creator, processing)
    await Media.filter(id=processing).update(status=MediaStatus.PROCESSING)

    for candidate in (others_media, processing, str(uuid.uuid4())):
        response = await client.patch(
            "/api/me", json={"avatar_media_id": candidate}, headers=creator.auth
        )
        assert response.status_code == 422, candidate
        fields = response.json()["error"]["details"]["fields"]
        assert fields[0]["field"] == "avatar_media_id"
    assert (await User.get(id=creator.id)).avatar_url is None


async def test_deleting_the_avatar_media_clears_the_avatar(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(600, 400))
    await settled(client, creator, media_id)
    await client.patch("/api/me", json={"avatar_media_id": media_id}, headers=creator.auth)

    assert (await client.delete(f"/api/media/{media_id}", headers=creator.auth)).status_code == 204
    assert (await client.get("/api/me", headers=creator.auth)).json()["avatar_url"] is None
