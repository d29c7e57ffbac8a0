"""What the media routes answer (the feed and creator listings reuse `MediaOut`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from backend.media.models import Media, MediaStatus
from backend.media.storage import DERIVATIVES

PUBLIC_PREFIX = "/media/"


def public_url(key: str) -> str:
    """`derivatives/<hash>.webp` -> `/media/<hash>.webp` (only derivatives have a URL)."""
    return PUBLIC_PREFIX + key.removeprefix(DERIVATIVES)


class ThumbnailOut(BaseModel):
    url: str
    width: int
    height: int
    content_type: str


class MediaOut(BaseModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    status: Literal["processing", "ready", "failed"]
    failure_reason: str | None
    content_type: str
    byte_size: int
    width: int | None
    height: int | None
    created_at: datetime
    ready_at: datetime | None
    thumbnails: dict[str, ThumbnailOut]  # by long-side size: "320", "960"; empty until ready

    @classmethod
    def of(cls, media: Media) -> MediaOut:
        ready = media.status == MediaStatus.READY
        return cls(
            id=media.id,
            owner_id=media.owner_id,
            status=media.status.value,
            failure_reason=media.failure_reason,
            content_type=media.content_type,
            byte_size=media.byte_size,
            width=media.width,
            height=media.height,
            created_at=media.created_at,
            ready_at=media.ready_at,
            thumbnails={size: _thumbnail(entry) for size, entry in media.derivatives.items()}
            if ready
            else {},
        )


def _thumbnail(entry: dict[str, object]) -> ThumbnailOut:
    return ThumbnailOut(
        url=public_url(str(entry["key"])),
        width=int(str(entry["width"])),
        height=int(str(entry["height"])),
        content_type=str(entry["content_type"]),
    )


class MediaAcceptedOut(BaseModel):
    id: uuid.UUID
    status: Literal["processing"] = "processing"
