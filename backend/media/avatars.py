"""Avatars are a creator's own ready media, shown at the 320 px thumbnail.

Kept apart from `service` so that accounts can use it without importing the upload path.
"""

from __future__ import annotations

import uuid

from backend.media.models import Media, MediaStatus
from backend.media.schemas import public_name, public_url

AVATAR_SIZE = "320"


def thumbnail_url(media: Media, size: str = AVATAR_SIZE) -> str | None:
    entry = media.derivatives.get(size)
    return public_url(str(entry["key"])) if entry else None


def thumbnail_name(media: Media, size: str = AVATAR_SIZE) -> str | None:
    """The file name every URL of the thumbnail ends with, whatever the public base was
    when the URL was made (avatars keep the URL they were chosen with)."""
    entry = media.derivatives.get(size)
    return public_name(str(entry["key"])) if entry else None


async def ready_thumbnail_url(owner_id: uuid.UUID, media_id: uuid.UUID) -> str | None:
    """The avatar-sized thumbnail URL of the owner's ready media; None if it is not one."""
    media = await Media.get_or_none(id=media_id, owner_id=owner_id, status=MediaStatus.READY)
    return thumbnail_url(media) if media is not None else None
