"""What the notification routes accept and answer (the stream sends `Notification` too)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.http.pagination import Page, PageQuery

MAX_IDS = 500
MAX_ID = 2**63 - 1  # BIGINT
NotificationId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Notification(BaseModel):
    """A notice; `data` is what the UI needs to render it (see each kind's producer)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(description="follow, tip, purchase, refund, media_ready, ...")
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[Notification]):
    """A page of notifications, newest first."""


class NotificationQuery(PageQuery):
    unread: bool = Field(default=False, description="true: only the unread ones")


class UnreadCount(BaseModel):
    count: int


class MarkReadIn(BaseModel):
    """Exactly one of `ids` (some of your notifications) or `all: true`."""

    ids: list[NotificationId] | None = Field(default=None, max_length=MAX_IDS)
    all: Literal[True] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.ids is None) == (self.all is None):
            raise ValueError('give exactly one of "ids" or "all": true')
        return self


class MarkReadOut(BaseModel):
    updated: int = Field(description="How many were unread and are now read")
    unread: int = Field(description="How many are still unread")
