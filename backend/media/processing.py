"""The thumbnail job's work: render the derivatives, store them, mark the media ready;
and the preview job's: the blurred preview of media made before previews were.

Idempotent: a ready media is only re-notified (insert-or-nothing), a failed or deleted one
is left alone, and content-addressed file names make rewriting a derivative harmless.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import BinaryIO

from loguru import logger
from tortoise import timezone
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.media import storage, thumbnails
from backend.media.avatars import AVATAR_SIZE, thumbnail_url
from backend.media.models import BLUR, Media, MediaStatus
from backend.media.sniff import ImageFormat
from backend.media.storage import IMMUTABLE, PRIVATE, ObjectNotFound, Storage
from backend.notifications.service import notify
from backend.settings import Settings

MAKE_THUMBNAILS = "media.make_thumbnails"
MAKE_PREVIEW = "media.make_preview"


class PermanentFailure(Exception):
    """The media cannot be processed, ever; it was marked `failed` with this reason."""


async def make_thumbnails(settings: Settings, media_id: uuid.UUID) -> None:
    """Render and store the derivatives, then mark the media ready and tell its owner.

    Idempotent: a ready media is only re-notified (insert-or-nothing), a failed or deleted
    one is left alone. Raises PermanentFailure for an image that can never be processed.
    """
    media = await Media.get_or_none(id=media_id)
    if media is None or media.status == MediaStatus.FAILED:
        return
    if media.status == MediaStatus.PROCESSING:
        store = storage.storage_for(settings)
        rendered = await _render(store, media, settings.media_max_pixels)
        if isinstance(rendered, str):
            await _mark_failed(media.id, rendered)
            raise PermanentFailure(rendered)
        if not await _store_and_mark_ready(store, media.id, rendered):
            return
        media = await Media.get(id=media_id)
    await _notify_ready(media)


async def _render(store: Storage, media: Media, max_pixels: int) -> thumbnails.Rendered | str:
    """The rendered derivatives, or the reason the image cannot be rendered.

    The decoding runs on the worker's loop thread on purpose: the worker takes one job at
    a time, and the decoder's warnings filter must not race another thread.
    """
    try:
        async with store.download(media.original_key) as source:
            return _render_file(source, ImageFormat.of(media.content_type), max_pixels)
    except ObjectNotFound:
        return "The uploaded file is missing."


def _render_file(
    source: BinaryIO, image_format: ImageFormat, max_pixels: int
) -> thumbnails.Rendered | str:
    try:
        return thumbnails.render(source, image_format, max_pixels=max_pixels)
    except thumbnails.BadImage as error:
        return str(error)
    except Exception:  # noqa: BLE001 - hostile bytes surprise decoders; a retry cannot help
        logger.opt(exception=True).error("unexpected error rendering an image")
        return "The image could not be processed."


async def _mark_failed(media_id: uuid.UUID, reason: str) -> None:
    await Media.filter(id=media_id, status=MediaStatus.PROCESSING).update(
        status=MediaStatus.FAILED, failure_reason=reason[:300]
    )
    logger.warning("media {} failed: {}", media_id, reason)


async def _store_and_mark_ready(
    store: Storage, media_id: uuid.UUID, rendered: thumbnails.Rendered
) -> bool:
    """Write the files and flip the row to ready in one step; False if it is gone or done.

    The thumbnails of media protected meanwhile go straight to their private keys."""
    async with in_transaction() as connection:
        media = await Media.filter(id=media_id).select_for_update().first()
        if media is None or media.status != MediaStatus.PROCESSING:
            return False
        named = {
            str(item.size): (_derivative_key(item, protected=media.protected), item)
            for item in rendered.derivatives
        }
        if rendered.preview is not None:
            named[BLUR] = (_derivative_key(rendered.preview, protected=False), rendered.preview)
        await lock_keys(connection, (key for key, _ in named.values()))
        for key, item in named.values():
            await _put(store, key, item)
        media.status = MediaStatus.READY
        media.width, media.height = rendered.width, rendered.height
        media.derivatives = {size: _entry(key, item) for size, (key, item) in named.items()}
        media.ready_at = timezone.now()
        await media.save(update_fields=["status", "width", "height", "derivatives", "ready_at"])
    logger.info("media {} ready", media_id)
    return True


async def _put(store: Storage, key: str, item: thumbnails.Derivative) -> None:
    cache_control = PRIVATE if storage.is_protected(key) else IMMUTABLE
    await store.put(key, item.data, content_type=item.content_type, cache_control=cache_control)


def _entry(key: str, item: thumbnails.Derivative) -> dict[str, object]:
    return {
        "key": key,
        "width": item.width,
        "height": item.height,
        "content_type": item.content_type,
    }


def _derivative_key(item: thumbnails.Derivative, *, protected: bool) -> str:
    digest = hashlib.sha256(item.data).hexdigest()
    if protected:
        return storage.protected_key(digest, item.output.extension)
    return storage.derivative_key(digest, item.output.extension)


async def make_preview(settings: Settings, media_id: uuid.UUID) -> None:
    """Give a ready media item its blurred preview, made from its smallest thumbnail.

    Idempotent: media that has one, is not ready or is gone is left alone. A thumbnail
    moved meanwhile (the media was protected) raises ObjectNotFound: the retry reads the
    row again. Raises PermanentFailure for a thumbnail that cannot be decoded."""
    media = await Media.get_or_none(id=media_id)
    if media is None or media.status != MediaStatus.READY or BLUR in media.derivatives:
        return
    source = _smallest_thumbnail(media)
    if source is None:
        raise PermanentFailure("The media has no thumbnail to make a preview from.")
    store = storage.storage_for(settings)
    async with store.download(str(source["key"])) as file:
        try:
            preview = thumbnails.render_preview(
                file,
                ImageFormat.of(str(source["content_type"])),
                max_pixels=settings.media_max_pixels,
            )
        except thumbnails.BadImage as error:
            raise PermanentFailure(str(error)) from error
    key = _derivative_key(preview, protected=False)
    async with in_transaction() as connection:
        media = await Media.filter(id=media_id).select_for_update().first()
        if media is None or media.status != MediaStatus.READY or BLUR in media.derivatives:
            return
        await lock_keys(connection, [key])
        await _put(store, key, preview)
        media.derivatives = {**media.derivatives, BLUR: _entry(key, preview)}
        await media.save(update_fields=["derivatives"])
    logger.info("media {} has its preview", media_id)


def _smallest_thumbnail(media: Media) -> dict[str, object] | None:
    sizes = [size for size in media.derivatives if size.isdigit()]
    return media.derivatives[min(sizes, key=int)] if sizes else None


async def _notify_ready(media: Media) -> None:
    await notify(
        media.owner_id,
        "media_ready",
        {"media_id": str(media.id), "thumbnail_url": thumbnail_url(media, AVATAR_SIZE)},
        dedupe_key=f"media_ready:{media.id}",
    )


async def lock_keys(connection: BaseDBAsyncClient, keys: Iterable[str]) -> None:
    """Transaction-scoped advisory locks on derivative keys, in one order (no deadlocks)."""
    for key in sorted(set(keys)):
        await connection.execute_query(
            "SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", [key]
        )
