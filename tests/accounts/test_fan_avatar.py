"""Fans choose a picture too: uploaded and thumbnailed like a creator's photo."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from backend.outbox.models import JobStatus, OutboxJob
from tests.media import images
from tests.media.support import settled
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


@pytest.fixture(autouse=True)
async def _jobs_finish_within_the_test() -> AsyncIterator[None]:
    """The thumbnail jobs a test caused finish before its tables are emptied."""
    yield
    await eventually(
        lambda: OutboxJob.filter(status=JobStatus.PENDING).count(),
        lambda unfinished: unfinished == 0,
        within=60,
    )


async def upload_picture(
    client: httpx.AsyncClient, account: Account, data: bytes
) -> httpx.Response:
    return await client.post(
        "/api/me/avatar", files={"file": ("me.jpg", data, "image/jpeg")}, headers=account.auth
    )


async def test_a_fan_uploads_a_picture_and_it_becomes_their_avatar(
    client: httpx.AsyncClient,
) -> None:
    fan = await create_account("fan")
    response = await upload_picture(client, fan, images.jpeg(800, 600))
    assert response.status_code == 202, response.text
    media_id = response.json()["id"]
    thumbnail = (await settled(client, fan, media_id))["thumbnails"]["320"]["url"]

    chosen = await client.patch("/api/me", json={"avatar_media_id": media_id}, headers=fan.auth)

    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["avatar_url"] == thumbnail
    assert (await client.get(thumbnail)).status_code == 200
    # Others see it wherever the fan is named: here, among a creator's followers.
    creator = await create_account("creator")
    await client.put(f"/api/creators/{creator.handle}/follow", headers=fan.auth)
    followers = await client.get(f"/api/creators/{creator.handle}/followers")
    assert followers.json()["items"][0]["avatar_url"] == thumbnail


async def test_a_picture_upload_needs_a_sign_in_and_an_image(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    anonymous = await client.post(
        "/api/me/avatar", files={"file": ("me.jpg", images.jpeg(10, 10), "image/jpeg")}
    )
    assert anonymous.status_code == 401
    not_an_image = await client.post(
        "/api/me/avatar", files={"file": ("me.txt", b"hello there", "text/plain")}, headers=fan.auth
    )
    assert not_an_image.status_code == 415
    assert not_an_image.json()["error"]["code"]
