"""What the media routes answer (the feed and creator listings reuse `MediaOut`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.accounts.schemas import EXAMPLE_USER
from backend.media import signed
from backend.media.models import BLUR, Media, MediaStatus
from backend.media.storage import DERIVATIVES, is_protected
from backend.settings import get_settings

PUBLIC_PREFIX = "/media/"

EXAMPLE_MEDIA_ID = "c41e5b7a-2f9d-4a63-8b1e-0d7c9f2a6e34"
EXAMPLE_THUMBNAIL: dict[str, Any] = {
    "url": "/media/2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.webp",
    "width": 960,
    "height": 640,
    "content_type": "image/webp",
}
EXAMPLE_MEDIA: dict[str, Any] = {
    "id": EXAMPLE_MEDIA_ID,
    "owner_id": EXAMPLE_USER["id"],
    "status": "ready",
    "failure_reason": None,
    "content_type": "image/jpeg",
    "byte_size": 2_483_112,
    "width": 4032,
    "height": 2688,
    "created_at": "2025-03-02T14:05:00Z",
    "ready_at": "2025-03-02T14:05:03Z",
    "thumbnails": {
        "320": {
            "url": "/media/fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9.webp",
            "width": 320,
            "height": 213,
            "content_type": "image/webp",
        },
        "960": EXAMPLE_THUMBNAIL,
    },
}


def public_name(key: str) -> str:
    """`derivatives/<hash>.webp` -> `<hash>.webp` (only derivatives have a public name)."""
    if not key.startswith(DERIVATIVES):
        raise ValueError(f"not a public object: {key!r}")
    return key.removeprefix(DERIVATIVES)


def public_url(key: str) -> str:
    """A derivative's URL: `MEDIA_PUBLIC_URL/<hash>.webp` (a CDN, the bucket) when the
    deployment sets it, else `/media/<hash>.webp` on the API.

    The deployment's settings, not a caller's: every process of it gives the same URL."""
    base = get_settings().media_public_base
    name = public_name(key)
    return f"{base}/{name}" if base else PUBLIC_PREFIX + name


class ThumbnailOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_THUMBNAIL]})

    url: str = Field(
        description="Public and cacheable for a year: `/media/<sha256>.<ext>` on the API, or "
        "absolute on the deployment's media host (a CDN) when it has one. A protected media "
        "item's (a locked post's photo): a short-lived signed "
        "`/media/protected/<sha256>.<ext>?expires=...&signature=...` on the API"
    )
    width: int
    height: int
    content_type: str


class MediaOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_MEDIA]})

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
    # By long-side size: "320", "960"; empty until ready. The blurred preview is not among
    # them (`preview_of`).
    thumbnails: dict[str, ThumbnailOut]

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
            thumbnails={
                size: _thumbnail(entry) for size, entry in media.derivatives.items() if size != BLUR
            }
            if ready
            else {},
        )


def preview_of(media: Media) -> ThumbnailOut | None:
    """The blurred preview shown in place of the media (to those who may not see it): its
    public, cacheable URL and size; None while it is not made yet."""
    entry = media.derivatives.get(BLUR)
    if media.status != MediaStatus.READY or entry is None:
        return None
    return _thumbnail(entry)


def _thumbnail(entry: dict[str, object]) -> ThumbnailOut:
    return ThumbnailOut(
        url=_url(str(entry["key"])),
        width=int(str(entry["width"])),
        height=int(str(entry["height"])),
        content_type=str(entry["content_type"]),
    )


def _url(key: str) -> str:
    """Public for a derivative; signed, short-lived, for a protected media's thumbnail."""
    return signed.signed_url(get_settings(), key) if is_protected(key) else public_url(key)


class MediaAcceptedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": EXAMPLE_MEDIA_ID, "status": "processing"}]}
    )

    id: uuid.UUID
    status: Literal["processing"] = "processing"
