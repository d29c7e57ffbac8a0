"""A creator's posts, newest first, and deleting posts with their photos."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from backend.http.pagination import encode_cursor
from backend.media.models import Media
from backend.posts.models import Post, PostPhoto
from tests.creators.support import walk
from tests.posts.support import draft, photo, published, published_at
from tests.support.accounts import create_account

pytestmark = pytest.mark.usefixtures("database")
BASE = datetime(2026, 1, 1, tzinfo=UTC)


async def test_a_creators_published_posts_newest_first_page_by_page(
    client: httpx.AsyncClient,
) -> None:
    creator, other, fan = [await create_account(role) for role in ("creator", "creator", "fan")]
    made = []
    for minute in range(7):
        post = await published(client, creator, caption=f"post {minute}")
        await published_at(post["id"], BASE + timedelta(minutes=minute // 2))  # ties too
        made.append(post["id"])
    await draft(client, creator, [await photo(creator)])
    await published(client, other)
    pages = await walk(client, f"/api/creators/{creator.handle}/posts", {"limit": "3"}, fan.auth)
    assert [len(page) for page in pages] == [3, 3, 1]
    items = [item for page in pages for item in page]
    assert sorted(item["id"] for item in items) == sorted(made)
    times = [(item["published_at"], item["id"]) for item in items]
    assert times == sorted(times, reverse=True)
    assert {item["status"] for item in items} == {"published"}


async def test_listing_errors(client: httpx.AsyncClient) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    bad_token = {"Authorization": "Bearer not-a-token"}
    response = await client.get(f"/api/creators/{creator.handle}/posts", headers=bad_token)
    assert response.status_code == 401
    response = await client.get(f"/api/creators/{fan.handle}/posts", headers=fan.auth)
    assert response.status_code == 404
    response = await client.get("/api/creators/nobody_here/posts", headers=fan.auth)
    assert response.status_code == 404
    for cursor in ("bad", encode_cursor("yesterday", str(uuid.uuid4())), encode_cursor(1)):
        response = await client.get(
            f"/api/creators/{creator.handle}/posts", params={"cursor": cursor}, headers=fan.auth
        )
        assert response.status_code == 422, cursor
    for limit in ("0", "101", "x"):
        response = await client.get(
            f"/api/creators/{creator.handle}/posts", params={"limit": limit}, headers=fan.auth
        )
        assert response.status_code == 422, limit


async def test_deleting_a_post_deletes_the_photos_no_other_post_shows(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    own, shared = await photo(creator), await photo(creator)
    post = await draft(client, creator, [own, shared])
    other = await draft(client, creator, [shared])
    draft_like = await client.put(f"/api/posts/{post['id']}/like", headers=fan.auth)
    assert draft_like.status_code == 404
    await client.post(f"/api/posts/{post['id']}/publish", headers=creator.auth)
    assert (await client.put(f"/api/posts/{post['id']}/like", headers=fan.auth)).status_code == 200

    response = await client.delete(f"/api/posts/{post['id']}", headers=creator.auth)
    assert response.status_code == 204
    assert not await Post.filter(id=uuid.UUID(post["id"])).exists()
    assert not await Media.filter(id=uuid.UUID(own)).exists()
    assert await Media.filter(id=uuid.UUID(shared)).exists()
    assert (await client.get(f"/api/posts/{post['id']}", headers=creator.auth)).status_code == 404
    assert (await client.get(f"/api/media/{own}", headers=creator.auth)).status_code == 404
    again = await client.delete(f"/api/posts/{post['id']}", headers=creator.auth)
    assert again.status_code == 404

    response = await client.delete(f"/api/posts/{other['id']}", headers=creator.auth)
    assert response.status_code == 204
    assert not await Media.filter(id=uuid.UUID(shared)).exists()
    assert not await PostPhoto.all().exists()


async def test_publishing_a_draft_whose_photos_were_all_deleted_is_a_422(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    media_id = await photo(creator)
    post = await draft(client, creator, [media_id])
    assert (await client.delete(f"/api/media/{media_id}", headers=creator.auth)).status_code == 204
    response = await client.post(f"/api/posts/{post['id']}/publish", headers=creator.auth)
    assert response.status_code == 422


async def test_a_post_whose_photos_were_deleted_is_left_out_of_the_listing(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    kept = await published(client, creator)
    emptied = await published(client, creator)
    media_id = emptied["photos"][0]["media_id"]
    assert (await client.delete(f"/api/media/{media_id}", headers=creator.auth)).status_code == 204
    listing = await client.get(f"/api/creators/{creator.handle}/posts", headers=fan.auth)
    assert [item["id"] for item in listing.json()["items"]] == [kept["id"]]
