"""What the notification routes accept and answer (the stream sends `Notification` too)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.accounts.models import User
from backend.http.pagination import Page, PageQuery

MAX_IDS = 500
MAX_ID = 2**63 - 1  # BIGINT
NotificationId = Annotated[int, Field(ge=1, le=MAX_ID)]

EXAMPLE_ACTOR: dict[str, Any] = {
    "id": "e7a3c9d1-5b2f-4c8e-9a6d-3f1b7e2c8d40",
    "handle": "mira",
    "display_name": "Mira Patel",
    "avatar_url": None,
    "role": "fan",
}
EXAMPLE_NOTIFICATION: dict[str, Any] = {
    "id": 42,
    "kind": "tip",
    "data": {
        "actor": EXAMPLE_ACTOR,
        "from": {"handle": "mira", "display_name": "Mira Patel"},
        "amount": 50,
        "message": "Loved the engine series!",
    },
    "created_at": "2025-03-02T15:20:00Z",
    "read_at": None,
}


class Actor(BaseModel):
    """The other person of a notice (who followed, tipped, unlocked...), as `data.actor`.

    A snapshot taken when the notice is made: it names them as they were then."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ACTOR]})

    id: str
    handle: str
    display_name: str
    avatar_url: str | None
    role: str = Field(description="fan or creator: a creator links to /creators/{handle}")

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            id=str(user.id),
            handle=user.handle,
            display_name=user.display_name,
            avatar_url=user.avatar_url,
            role=user.role.value,
        )


def actor(user: User) -> dict[str, Any]:
    """`data["actor"]` for a notice about something `user` did."""
    return Actor.of(user).model_dump(mode="json")


class Notification(BaseModel):
    """A notice; `data` is what the UI needs to render it (see each kind's producer).
    Notices about something another person did carry them as `data.actor` (an `Actor`);
    older stored notices may lack it."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [EXAMPLE_NOTIFICATION]}
    )

    id: int
    kind: str = Field(description="follow, tip, purchase, refund, media_ready, ...")
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[Notification]):
    """A page of notifications, newest first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_NOTIFICATION], "next_cursor": None}]}
    )


class NotificationQuery(PageQuery):
    unread: bool = Field(default=False, description="true: only the unread ones")


class UnreadCount(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 3}]})

    count: int


class MarkReadIn(BaseModel):
    """Exactly one of `ids` (some of your notifications) or `all: true`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"ids": [41, 42]}, {"all": True}]})

    ids: list[NotificationId] | None = Field(default=None, max_length=MAX_IDS)
    all: Literal[True] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.ids is None) == (self.all is None):
            raise ValueError('give exactly one of "ids" or "all": true')
        return self


class MarkReadOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"updated": 2, "unread": 1}]})

    updated: int = Field(description="How many were unread and are now read")
    unread: int = Field(description="How many are still unread")
