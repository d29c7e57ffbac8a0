"""Drafting, editing, publishing and reading posts, and who may do what."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest

from backend.media.models import MediaStatus
from backend.posts.models import MAX_CAPTION
from tests.posts.support import draft, photo, published
from tests.support.accounts import create_account

pytestmark = pytest.mark.usefixtures("database")


async def test_a_creator_drafts_a_post_of_their_photos_in_order(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    photos = [await photo(creator) for _ in range(3)]
    ordered = [photos[2], photos[0], photos[1]]
    caption = "First line.\r\nSecond line,\n\n\tafter a blank one. Ünïcödé 🌅"
    post = await draft(client, creator, ordered, caption)
    assert post["status"] == "draft"
    assert post["published_at"] is None
    assert post["caption"] == "First line.\nSecond line,\n\n\tafter a blank one. Ünïcödé 🌅"
    assert [item["media_id"] for item in post["photos"]] == ordered
    assert post["photos"][0]["thumbnails"]["320"]["url"].startswith("/media/")
    assert post["author"]["handle"] == creator.handle
    assert post["like_count"] == 0
    assert post["liked_by_me"] is False
    again = await client.get(f"/api/posts/{post['id']}", headers=creator.auth)
    assert again.status_code == 200
    assert again.json() == post


async def test_only_creators_draft_posts(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    body = {"caption": "", "media_ids": [str(uuid.uuid4())]}
    assert (await client.post("/api/posts", json=body)).status_code == 401
    response = await client.post("/api/posts", json=body, headers=fan.auth)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def _fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return [item["field"] for item in error["details"]["fields"]]


@pytest.mark.parametrize(
    ("caption", "field"),
    [
        ("nul \x00 inside", "caption"),
        ("bell \x07", "caption"),
        ("escape \x1b[31m", "caption"),
        ("c1 \x85", "caption"),
        ("lone \ud800 surrogate", "caption"),
        ("x" * (MAX_CAPTION + 1), "caption"),
        (42, "caption"),
    ],
)
async def test_bad_captions_are_a_422_naming_the_field(
    client: httpx.AsyncClient, caption: Any, field: str
) -> None:
    creator = await create_account("creator")
    headers = {**creator.auth, "Content-Type": "application/json"}
    body = {"caption": caption, "media_ids": [await photo(creator)]}
    # As JSON escapes, so that a lone surrogate can be sent at all.
    response = await client.post("/api/posts", content=json.dumps(body), headers=headers)
    assert _fields(response) == [field]
    patch = await client.patch(
        f"/api/posts/{(await draft(client, creator, [await photo(creator)]))['id']}",
        content=json.dumps({"caption": caption}),
        headers=headers,
    )
    assert _fields(patch) == [field]


async def test_the_longest_caption_is_accepted(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    post = await draft(client, creator, [await photo(creator)], "é" * MAX_CAPTION)
    assert len(post["caption"]) == MAX_CAPTION


async def test_bad_photo_lists_are_a_422(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    one = await photo(creator)
    eleven = [await photo(creator) for _ in range(11)]
    for media_ids in ([], eleven, [one, one], ["not-a-uuid"], None, "x", [1]):
        body = {"caption": "hi", "media_ids": media_ids}
        response = await client.post("/api/posts", json=body, headers=creator.auth)
        assert _fields(response)[0].startswith("media_ids"), media_ids
    assert _fields(await client.post("/api/posts", json={}, headers=creator.auth)) == ["media_ids"]
    for raw in (b"{not json", b"[1, 2]", b'"text"'):
        response = await client.post(
            "/api/posts",
            content=raw,
            headers={**creator.auth, "Content-Type": "application/json"},
        )
        assert response.status_code == 422, raw
    assert (
        await client.post("/api/posts", json={"media_ids": eleven[:10]}, headers=creator.auth)
    ).status_code == 201


async def test_photos_must_be_ones_own_and_ready(client: httpx.AsyncClient) -> None:
    creator, other = await create_account("creator"), await create_account("creator")
    mine = await photo(creator)
    for media_ids in ([mine, await photo(other)], [str(uuid.uuid4())]):
        response = await client.post(
            "/api/posts", json={"media_ids": media_ids}, headers=creator.auth
        )
        assert response.status_code == 404, media_ids
        assert response.json()["error"]["message"] == "No such media."
    for status in (MediaStatus.PROCESSING, MediaStatus.FAILED):
        media_ids = [mine, await photo(creator, status)]
        response = await client.post(
            "/api/posts", json={"media_ids": media_ids}, headers=creator.auth
        )
        assert _fields(response) == ["media_ids.1"]


async def test_drafts_show_only_to_their_author(client: httpx.AsyncClient) -> None:
    creator, other, fan = [await create_account(role) for role in ("creator", "creator", "fan")]
    post = await draft(client, creator, [await photo(creator)])
    for stranger in (other, fan):
        response = await client.get(f"/api/posts/{post['id']}", headers=stranger.auth)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert (await client.get(f"/api/posts/{post['id']}")).status_code == 404  # signed out
    missing = await client.get(f"/api/posts/{uuid.uuid4()}", headers=creator.auth)
    assert missing.status_code == 404
    assert (await client.get("/api/posts/not-a-uuid", headers=creator.auth)).status_code == 404
    listing = await client.get(f"/api/creators/{creator.handle}/posts", headers=creator.auth)
    assert listing.json() == {"items": [], "next_cursor": None}


async def test_publishing_is_idempotent_and_shows_the_post_to_everyone(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    post = await draft(client, creator, [await photo(creator)], "hello")
    first = await client.post(f"/api/posts/{post['id']}/publish", headers=creator.auth)
    assert first.status_code == 200
    assert first.json()["status"] == "published"
    assert first.json()["published_at"] is not None
    second = await client.post(f"/api/posts/{post['id']}/publish", headers=creator.auth)
    assert second.status_code == 200
    assert second.json() == first.json()
    seen = await client.get(f"/api/posts/{post['id']}", headers=fan.auth)
    assert seen.status_code == 200
    assert seen.json()["caption"] == "hello"


async def test_others_cannot_edit_publish_or_delete(client: httpx.AsyncClient) -> None:
    creator, other, fan = [await create_account(role) for role in ("creator", "creator", "fan")]
    unpublished = await draft(client, creator, [await photo(creator)])
    public = await published(client, creator)
    for post, status in ((unpublished, 404), (public, 403)):
        url = f"/api/posts/{post['id']}"
        calls = [
            client.patch(url, json={"caption": "mine now"}, headers=other.auth),
            client.post(f"{url}/publish", headers=other.auth),
            client.delete(url, headers=other.auth),
        ]
        for call in calls:
            response = await call
            assert response.status_code == status, response.text
        for call in (
            client.patch(url, json={"caption": "x"}, headers=fan.auth),
            client.post(f"{url}/publish", headers=fan.auth),
            client.delete(url, headers=fan.auth),
        ):
            assert (await call).status_code == 403  # fans cannot write posts at all
    for post in (unpublished, public):
        response = await client.get(f"/api/posts/{post['id']}", headers=creator.auth)
        assert response.json()["caption"] == ""
    assert (await client.get(f"/api/posts/{unpublished['id']}", headers=creator.auth)).json()[
        "status"
    ] == "draft"


async def test_editing_a_draft_and_a_published_post(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    a, b, c = [await photo(creator) for _ in range(3)]
    post = await draft(client, creator, [a, b], "before")
    url = f"/api/posts/{post['id']}"
    response = await client.patch(url, json={"media_ids": [c, b, a]}, headers=creator.auth)
    assert response.status_code == 200, response.text
    assert [item["media_id"] for item in response.json()["photos"]] == [c, b, a]
    assert response.json()["caption"] == "before"
    response = await client.patch(url, json={"caption": "after\nall"}, headers=creator.auth)
    assert response.json()["caption"] == "after\nall"
    assert [item["media_id"] for item in response.json()["photos"]] == [c, b, a]
    assert (await client.patch(url, json={}, headers=creator.auth)).status_code == 200
    await client.post(f"{url}/publish", headers=creator.auth)
    response = await client.patch(url, json={"caption": ""}, headers=creator.auth)
    assert response.status_code == 200
    assert response.json()["caption"] == ""
    assert _fields(await client.patch(url, json={"media_ids": [a]}, headers=creator.auth)) == [
        "media_ids"
    ]
    missing = await client.patch(
        f"/api/posts/{uuid.uuid4()}", json={"caption": "x"}, headers=creator.auth
    )
    assert missing.status_code == 404


async def test_a_draft_cannot_take_someone_elses_photo(client: httpx.AsyncClient) -> None:
    creator, other = await create_account("creator"), await create_account("creator")
    post = await draft(client, creator, [await photo(creator)])
    response = await client.patch(
        f"/api/posts/{post['id']}", json={"media_ids": [await photo(other)]}, headers=creator.auth
    )
    assert response.status_code == 404


async def test_concurrent_drafts_of_the_same_photos_all_succeed(
    unlimited: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    photos = [await photo(creator) for _ in range(4)]
    orders = [photos[i:] + photos[:i] for i in range(4)] * 3
    responses = await asyncio.gather(
        *(
            unlimited.post("/api/posts", json={"media_ids": order}, headers=creator.auth)
            for order in orders
        )
    )
    assert [response.status_code for response in responses] == [201] * len(orders)
    assert [[p["media_id"] for p in r.json()["photos"]] for r in responses] == orders
