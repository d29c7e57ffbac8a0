"""A creator's media, newest first, page by page."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.media.models import Media, MediaStatus
from backend.media.storage import original_key
from tests.support.accounts import Account, create_account

pytestmark = pytest.mark.usefixtures("database")


async def _media(owner: Account, statuses: list[MediaStatus]) -> list[str]:
    """Rows straight in the database, oldest first (listing needs no real files)."""
    made = []
    for status in statuses:
        media = await Media.create(
            owner_id=owner.id,
            status=status,
            content_type="image/jpeg",
            byte_size=100,
            original_key=original_key(uuid.uuid4()),
        )
        made.append(str(media.id))
    return made


async def test_others_see_ready_media_only_newest_first_in_pages(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    ready, failed, processing = MediaStatus.READY, MediaStatus.FAILED, MediaStatus.PROCESSING
    made = await _media(creator, [ready, failed, ready, ready, processing])
    visible = [made[3], made[2], made[0]]

    fan = await create_account("fan")
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await client.get(
            f"/api/creators/{creator.handle}/media", params=params, headers=fan.auth
        )
        assert response.status_code == 200
        page = response.json()
        assert all(item["status"] == "ready" for item in page["items"])
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == visible

    anonymous = await client.get(f"/api/creators/{creator.handle.upper()}/media")
    assert [item["id"] for item in anonymous.json()["items"]] == visible


async def test_the_owner_sees_everything(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    made = await _media(creator, [MediaStatus.READY, MediaStatus.FAILED, MediaStatus.PROCESSING])

    response = await client.get(f"/api/creators/{creator.handle}/media", headers=creator.auth)
    items = response.json()["items"]
    assert [item["id"] for item in items] == made[::-1]
    assert [item["status"] for item in items] == ["processing", "failed", "ready"]


async def test_unknown_creators_and_bad_cursors(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/creators/nobody_here/media")).status_code == 404
    fan = await create_account("fan")
    assert (await client.get(f"/api/creators/{fan.handle}/media")).status_code == 404

    creator = await create_account("creator")
    bad = await client.get(f"/api/creators/{creator.handle}/media", params={"cursor": "nope"})
    assert bad.status_code == 422
    too_many = await client.get(f"/api/creators/{creator.handle}/media", params={"limit": 500})
    assert too_many.status_code == 422
