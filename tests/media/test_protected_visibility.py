"""Protected media (a locked post's photos) are their owner's alone in the media domain's
own reads: the creator's listing and the media item (the feed lists posts: a locked one
shows its preview, tests/feed)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.media.models import Media, MediaStatus
from backend.media.storage import original_key
from tests.support.accounts import Account, create_account

pytestmark = pytest.mark.usefixtures("database")


async def _media(owner: Account, *, protected: bool) -> str:
    media = await Media.create(
        owner_id=uuid.UUID(owner.id),
        status=MediaStatus.READY,
        content_type="image/jpeg",
        byte_size=100,
        original_key=original_key(uuid.uuid4()),
        protected=protected,
    )
    return str(media.id)


async def test_others_never_see_protected_media(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    free = await _media(creator, protected=False)
    locked = await _media(creator, protected=True)
    fan = await create_account("fan")
    other_creator = await create_account("creator")

    for headers in ({}, fan.auth, other_creator.auth):
        listing = await client.get(f"/api/creators/{creator.handle}/media", headers=headers)
        assert listing.status_code == 200
        assert [item["id"] for item in listing.json()["items"]] == [free]
        hidden = await client.get(f"/api/media/{locked}", headers=headers)
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "not_found"
        assert (await client.get(f"/api/media/{free}", headers=headers)).status_code == 200

    own = await client.get(f"/api/creators/{creator.handle}/media", headers=creator.auth)
    assert [item["id"] for item in own.json()["items"]] == [locked, free]
    assert (await client.get(f"/api/media/{locked}", headers=creator.auth)).status_code == 200
