"""What the creator, follow and follower routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from backend.accounts.models import User
from backend.http.pagination import Page, PageQuery


class CreatorSort(StrEnum):
    POPULAR = "popular"
    NEW = "new"


class CreatorQuery(PageQuery):
    q: str | None = Field(
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
    media_count: int = Field(description="Ready media only")
    is_following: bool = Field(description="Whether the caller follows them (false if anonymous)")
    created_at: datetime


class FollowOut(BaseModel):
    handle: str
    following: bool
    follower_count: int


class CreatorPage(Page[CreatorSummary]):
    """A page of creators."""


class FollowerPage(Page[UserSummary]):
    """A page of followers, newest follow first."""
