"""What the feed answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from backend.creators.schemas import EXAMPLE_CREATOR, CreatorSummary
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page
from backend.media.schemas import EXAMPLE_MEDIA, MediaOut
from backend.posts.schemas import EXAMPLE_POST, PostOut

EXAMPLE_ITEM: dict[str, Any] = {
    "post": EXAMPLE_POST,
    "media": EXAMPLE_MEDIA,
    "creator": EXAMPLE_CREATOR,
}


class FeedItem(BaseModel):
    """A published post; `media` is its first photo, as items were before posts (read
    `post.photos`), and null while the post is locked to you (`post.preview` shows it)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ITEM]})

    post: PostOut
    media: MediaOut | None
    creator: CreatorSummary


class FeedPage(Page[FeedItem]):
    """A page of the feed, newest published post first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_ITEM], "next_cursor": EXAMPLE_CURSOR}]}
    )
