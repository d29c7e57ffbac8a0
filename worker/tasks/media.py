"""Media jobs (the `media` queue)."""

from __future__ import annotations

import uuid

from backend.media import processing
from backend.settings import get_settings
from worker.jobs import PermanentJobError, job


@job(processing.MAKE_THUMBNAILS)
async def make_thumbnails(media_id: str) -> None:
    try:
        await processing.make_thumbnails(get_settings(), uuid.UUID(media_id))
    except processing.PermanentFailure as error:
        raise PermanentJobError(str(error)) from error


@job(processing.MAKE_PREVIEW)
async def make_preview(media_id: str) -> None:
    try:
        await processing.make_preview(get_settings(), uuid.UUID(media_id))
    except processing.PermanentFailure as error:
        raise PermanentJobError(str(error)) from error
