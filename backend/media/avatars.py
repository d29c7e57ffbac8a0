"""Avatars are a creator's own ready media, shown at the 320 px thumbnail.

Kept apart from `service` so that accounts can use it without importing the upload path.
"""

from __future__ import annotations

import uuid

from backend.media.models import Media, MediaStatus
from backend.media.schemas import public_name, public_url
from backend.media.storage import is_public

AVATAR_SIZE = "320"


def thumbnail_url(media: Media, size: str = AVATAR_SIZE) -> str | None:
    """The thumbnail's public URL; None when there is none (not ready, or protected)."""
    key = _public_key(media, size)
    return public_url(key) if key else None


def thumbnail_name(media: Media, size: str = AVATAR_SIZE) -> str | None:
    """The file name every URL of the thumbnail ends with, whatever the public base was
    when the URL was made (avatars keep the URL they were chosen with)."""
    key = _public_key(media, size)
    return public_name(key) if key else None


def _public_key(media: Media, size: str) -> str | None:
    entry = media.derivatives.get(size)
    key = str(entry["key"]) if entry else None
    return key if key is not None and is_public(key) else None


async def ready_thumbnail_url(owner_id: uuid.UUID, media_id: uuid.UUID) -> str | None:
    """The avatar-sized thumbnail URL of the owner's ready, unprotected media; None if it
    is not one (a locked post's photo is never made public as an avatar)."""
    media = await Media.get_or_none(
        id=media_id, owner_id=owner_id, status=MediaStatus.READY, protected=False
    )
    return thumbnail_url(media) if media is not None else None
