"""What the creator, follow and follower routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.accounts.models import User
from backend.accounts.schemas import EXAMPLE_USER
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page, PageQuery
from backend.http.text import SingleLine

EXAMPLE_FOLLOWER: dict[str, Any] = {
    "id": "e7a3c9d1-5b2f-4c8e-9a6d-3f1b7e2c8d40",
    "handle": "mira",
    "display_name": "Mira Patel",
    "avatar_url": None,
}
EXAMPLE_CREATOR: dict[str, Any] = {
    **{key: EXAMPLE_USER[key] for key in ("id", "handle", "display_name", "avatar_url", "bio")},
    "follower_count": 128,
}
EXAMPLE_PROFILE: dict[str, Any] = {
    **EXAMPLE_CREATOR,
    "media_count": 12,
    "is_following": True,
    "created_at": EXAMPLE_USER["created_at"],
}


class CreatorSort(StrEnum):
    POPULAR = "popular"
    NEW = "new"


class CreatorQuery(PageQuery):
    q: SingleLine | None = Field(
        default=None,
        max_length=60,
        description="Part of a handle or display name (case-insensitive)",
    )
    sort: CreatorSort = Field(
        default=CreatorSort.POPULAR,
        description="popular: most followers first; new: latest sign-ups first",
    )

    @field_validator("q")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        value = value.strip() if value is not None else None
        return value or None


class UserSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_FOLLOWER]})

    id: uuid.UUID
    handle: str
    display_name: str
    avatar_url: str | None

    @classmethod
    def of(cls, user: User) -> UserSummary:
        return cls(
            id=user.id,
            handle=user.handle,
            display_name=user.display_name,
            avatar_url=user.avatar_url,
        )


class CreatorSummary(UserSummary):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_CREATOR]})

    bio: str
    follower_count: int

    @classmethod
    def of_creator(cls, user: User, follower_count: int) -> CreatorSummary:
        return cls(
            id=user.id,
            handle=user.handle,
            display_name=user.display_name,
            avatar_url=user.avatar_url,
            bio=user.bio,
            follower_count=follower_count,
        )


class CreatorProfile(CreatorSummary):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PROFILE]})

    media_count: int = Field(description="Ready media only")
    is_following: bool = Field(description="Whether the caller follows them (false if anonymous)")
    created_at: datetime


class FollowOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"handle": "ada", "following": True, "follower_count": 129}]
        }
    )

    handle: str
    following: bool
    follower_count: int


class CreatorPage(Page[CreatorSummary]):
    """A page of creators."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [EXAMPLE_CREATOR], "next_cursor": EXAMPLE_CURSOR}]
        }
    )


class FollowerPage(Page[UserSummary]):
    """A page of followers, newest follow first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_FOLLOWER], "next_cursor": None}]}
    )
