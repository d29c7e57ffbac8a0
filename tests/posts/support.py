"""Photos and posts for the post tests: media rows made directly (ready, with a
thumbnail, no worker needed), posts made through the API as a creator would."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from backend.media.models import Media, MediaStatus
from backend.posts.models import Post, PostPhoto, PostStatus
from tests.support.accounts import Account


async def photo(owner: Account, status: MediaStatus = MediaStatus.READY) -> str:
    """A media row of `owner`'s, as the thumbnail job leaves it."""
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
        }
        if status == MediaStatus.READY
        else {},
    )
    return str(media.id)


async def draft(
    client: httpx.AsyncClient, creator: Account, media_ids: list[str], caption: str = ""
) -> dict[str, Any]:
    response = await client.post(
        "/api/posts", json={"caption": caption, "media_ids": media_ids}, headers=creator.auth
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def published(
    client: httpx.AsyncClient, creator: Account, photos: int = 1, caption: str = ""
) -> dict[str, Any]:
    post = await draft(client, creator, [await photo(creator) for _ in range(photos)], caption)
    response = await client.post(f"/api/posts/{post['id']}/publish", headers=creator.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def published_at(post_id: str, at: datetime) -> None:
    """Explicit times make "newest first" exact."""
    await Post.filter(id=uuid.UUID(post_id)).update(published_at=at)


async def post_of_media(media_id: str, at: datetime) -> str:
    """A one-photo published post of a media row, as the backfill makes them."""
    media = await Media.get(id=uuid.UUID(media_id))
    post = await Post.create(
        id=uuid.uuid4(), author_id=media.owner_id, status=PostStatus.PUBLISHED, published_at=at
    )
    await PostPhoto.create(post_id=post.id, media_id=media.id, position=0)
    return str(post.id)
