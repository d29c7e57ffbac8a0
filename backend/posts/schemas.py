"""What the post and like routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.creators.schemas import EXAMPLE_FOLLOWER, UserSummary
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page, PageQuery
from backend.http.text import MultiLine
from backend.media.schemas import EXAMPLE_MEDIA, EXAMPLE_MEDIA_ID, ThumbnailOut
from backend.posts.models import MAX_CAPTION, MAX_PHOTOS, MAX_PRICE

EXAMPLE_POST_ID = "5b0e7c2a-9d14-4f6b-a3e8-71c2d9f04b56"
EXAMPLE_PHOTO: dict[str, Any] = {
    "media_id": EXAMPLE_MEDIA_ID,
    "width": EXAMPLE_MEDIA["width"],
    "height": EXAMPLE_MEDIA["height"],
    "thumbnails": EXAMPLE_MEDIA["thumbnails"],
}
EXAMPLE_POST: dict[str, Any] = {
    "id": EXAMPLE_POST_ID,
    "author": EXAMPLE_FOLLOWER,
    "caption": "Golden hour on the pier.\nMore from this trip soon.",
    "status": "published",
    "photos": [EXAMPLE_PHOTO],
    "like_count": 42,
    "liked_by_me": False,
    "price": 0,
    "photo_count": 1,
    "locked": False,
    "unlocked_by_me": False,
    "preview": None,
    "created_at": "2025-03-02T14:05:00Z",
    "published_at": "2025-03-02T14:10:00Z",
}
EXAMPLE_POST_IN: dict[str, Any] = {
    "caption": EXAMPLE_POST["caption"],
    "media_ids": [EXAMPLE_MEDIA_ID],
    "price": 0,
}

Caption = MultiLine


def _normalised(caption: str | None) -> str | None:
    """Line breaks kept, as `\\n` whatever the client sent."""
    if caption is None:
        return None
    return caption.replace("\r\n", "\n").replace("\r", "\n")


def _distinct(media_ids: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    if media_ids is not None and len(set(media_ids)) != len(media_ids):
        raise ValueError("each photo may appear only once")
    return media_ids


class PostIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_POST_IN]})

    caption: Caption = Field(
        default="",
        max_length=MAX_CAPTION,
        description=f"Plain text, line breaks kept; at most {MAX_CAPTION} characters",
    )
    media_ids: list[uuid.UUID] = Field(
        min_length=1,
        max_length=MAX_PHOTOS,
        description=f"1 to {MAX_PHOTOS} of your own ready uploads, in the order shown",
    )
    price: int = Field(
        default=0,
        ge=0,
        le=MAX_PRICE,
        description="Tokens a fan pays to see the photos; 0 (the default) for a free post",
    )

    @field_validator("caption")
    @classmethod
    def _one_kind_of_line_break(cls, value: str | None) -> str | None:
        return _normalised(value)

    @field_validator("media_ids")
    @classmethod
    def _each_photo_once(cls, value: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
        return _distinct(value)


class PostPatch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"caption": "A new caption.\nSecond line."}]}
    )

    caption: Caption | None = Field(
        default=None, max_length=MAX_CAPTION, description="The new caption (any time)"
    )
    media_ids: list[uuid.UUID] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_PHOTOS,
        description="The new photos in order (only while the post is a draft)",
    )
    price: int | None = Field(
        default=None,
        ge=0,
        le=MAX_PRICE,
        description="The new price in tokens; a published free post cannot become locked",
    )

    @field_validator("caption")
    @classmethod
    def _one_kind_of_line_break(cls, value: str | None) -> str | None:
        return _normalised(value)

    @field_validator("media_ids")
    @classmethod
    def _each_photo_once(cls, value: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
        return _distinct(value)


class PhotoOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PHOTO]})

    media_id: uuid.UUID
    width: int | None
    height: int | None
    thumbnails: dict[str, ThumbnailOut]  # by long-side size: "320", "960"


class PostOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_POST]})

    id: uuid.UUID
    author: UserSummary
    caption: str
    status: Literal["draft", "published"]
    photos: list[PhotoOut] = Field(
        description="In the order the author chose; empty while the post is locked to you"
    )
    like_count: int
    liked_by_me: bool
    price: int = Field(description="Tokens to unlock the photos; 0 for a free post")
    photo_count: int
    locked: bool = Field(
        description="You may not see the photos yet: `caption` is its first line, `photos` "
        "is empty and `preview` is a heavily blurred image of the first photo"
    )
    unlocked_by_me: bool
    preview: ThumbnailOut | None = Field(
        description="While locked: the blurred preview (null until the worker has made it)"
    )
    created_at: datetime
    published_at: datetime | None


class PostPage(Page[PostOut]):
    """A page of posts, newest published first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_POST], "next_cursor": EXAMPLE_CURSOR}]}
    )


class LikeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"post_id": EXAMPLE_POST_ID, "liked": True, "like_count": 43}]
        }
    )

    post_id: uuid.UUID
    liked: bool
    like_count: int


class UnlockIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"price": 20}]})

    price: int = Field(
        ge=1,
        le=MAX_PRICE,
        description="The price you were shown: if the creator changed it since, nothing is "
        "charged and the answer is a 409 `price_changed` with the new `price` in `details`",
    )


class UnlockOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"post": EXAMPLE_POST, "price": 20, "balance": 80}]}
    )

    post: PostOut = Field(description="The post, its photos shown")
    price: int = Field(description="What you paid")
    balance: int = Field(description="Your token balance now")


class MyPostsQuery(PageQuery):
    status: Literal["draft", "published"] | None = Field(
        default=None, description="Only drafts, or only published posts; both when left out"
    )
