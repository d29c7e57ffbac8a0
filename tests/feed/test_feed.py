from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from backend.http.pagination import encode_cursor
from backend.media.models import Media, MediaStatus
from backend.posts.models import Post
from tests.creators.support import follow, walk
from tests.posts.support import draft, photo, post_of_media, published
from tests.support.accounts import Account, create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]
BASE = datetime(2026, 1, 1, tzinfo=UTC)


async def _media(owner: Account, minute: int, status: MediaStatus = MediaStatus.READY) -> str:
    media = await Media.create(
        owner_id=uuid.UUID(owner.id),
        status=status,
        content_type="image/jpeg",
        byte_size=1234,
        width=800,
        height=600,
        original_key=f"originals/{uuid.uuid4().hex}",
        derivatives={
            "320": {
                "key": f"derivatives/{uuid.uuid4().hex}.webp",
                "width": 320,
                "height": 240,
                "content_type": "image/webp",
            }
        },
    )
    # Explicit times make "newest first" exact (auto_now_add cannot be set at create).
    at = BASE + timedelta(minutes=minute)
    await Media.filter(id=media.id).update(created_at=at)
    if status == MediaStatus.READY:  # the feed lists posts: each photo is one, published then
        await post_of_media(str(media.id), at)
    return str(media.id)


async def test_the_feed_is_empty_when_following_nobody(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    await _media(await create_account("creator"), 1)
    response = await client.get("/api/feed", headers=fan.auth)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_the_feed_has_ready_media_of_followed_creators_newest_first(
    client: httpx.AsyncClient,
) -> None:
    fan = await create_account("fan")
    ada, grace, stranger = [await create_account("creator") for _ in range(3)]
    await follow(client, fan, ada.handle)
    await follow(client, fan, grace.handle)
    expected = [
        await _media(ada, 1),
        await _media(grace, 2),
        await _media(ada, 3),
    ]
    await _media(ada, 4, MediaStatus.PROCESSING)
    await _media(grace, 5, MediaStatus.FAILED)
    await _media(stranger, 6)

    response = await client.get("/api/feed", headers=fan.auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["media"]["id"] for item in items] == list(reversed(expected))
    first = items[0]
    assert first["creator"] == {
        "id": ada.id,
        "handle": ada.handle,
        "display_name": ada.user["display_name"],
        "avatar_url": None,
        "bio": "",
        "follower_count": 1,
    }
    assert first["media"]["status"] == "ready"
    assert first["media"]["owner_id"] == ada.id
    assert first["media"]["thumbnails"]["320"]["url"].startswith("/media/")
    assert [item["creator"]["handle"] for item in items] == [ada.handle, grace.handle, ada.handle]


async def test_the_feed_pages_through_everything_once(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    creators = [await create_account("creator") for _ in range(3)]
    made = []
    for creator in creators:
        await follow(client, fan, creator.handle)
    for minute in range(7):
        made.append(await _media(creators[minute % 3], minute // 2))  # equal times too
    pages = await walk(client, "/api/feed", {"limit": "3"}, fan.auth)
    assert [len(page) for page in pages] == [3, 3, 1]
    seen = [item["media"]["id"] for page in pages for item in page]
    assert sorted(seen) == sorted(made)
    times = [item["media"]["created_at"] for page in pages for item in page]
    assert times == sorted(times, reverse=True)


async def test_feed_errors(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    assert (await client.get("/api/feed")).status_code == 401
    for cursor in ("bad", encode_cursor("yesterday", str(uuid.uuid4())), encode_cursor(1)):
        response = await client.get("/api/feed", params={"cursor": cursor}, headers=fan.auth)
        assert response.status_code == 422, cursor


async def test_the_feed_lists_published_posts_with_photos_caption_and_likes(
    client: httpx.AsyncClient,
) -> None:
    fan, other = await create_account("fan"), await create_account("fan")
    creator = await create_account("creator")
    await follow(client, fan, creator.handle)
    older = await published(client, creator, photos=1, caption="first")
    newer = await published(client, creator, photos=3, caption="two lines\nof caption")
    await draft(client, creator, [await photo(creator)], "not yet")
    await client.put(f"/api/posts/{older['id']}/like", headers=fan.auth)
    await client.put(f"/api/posts/{older['id']}/like", headers=other.auth)

    items = (await client.get("/api/feed", headers=fan.auth)).json()["items"]
    assert [item["post"]["id"] for item in items] == [newer["id"], older["id"]]
    first, second = items
    assert first["post"]["caption"] == "two lines\nof caption"
    assert [photo["media_id"] for photo in first["post"]["photos"]] == [
        photo["media_id"] for photo in newer["photos"]
    ]
    assert all(p["thumbnails"]["320"]["url"].startswith("/media/") for p in first["post"]["photos"])
    assert first["media"]["id"] == newer["photos"][0]["media_id"]  # the first photo, as before
    assert (first["post"]["like_count"], first["post"]["liked_by_me"]) == (0, False)
    assert (second["post"]["like_count"], second["post"]["liked_by_me"]) == (2, True)
    assert first["creator"]["handle"] == creator.handle


async def test_a_locked_post_is_in_the_feed_as_its_preview(client: httpx.AsyncClient) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await follow(client, fan, creator.handle)
    post = await published(client, creator, photos=2, caption="first line\nsecond line")
    await Post.filter(id=post["id"]).update(price=15)

    [item] = (await client.get("/api/feed", headers=fan.auth)).json()["items"]

    assert item["media"] is None
    assert item["post"]["locked"] is True
    assert (item["post"]["photos"], item["post"]["photo_count"]) == ([], 2)
    assert item["post"]["caption"] == "first line"
