"""Media: accepting uploads, reading, listing, deleting and serving (the thumbnail job
is in `processing`).

Derivatives are content-addressed, so media with the same pixels share files: deleting one
removes a derivative only when no other media refers to it, under the same lock the job
holds while adopting it (`processing.lock_keys`).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from loguru import logger
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.http.errors import Forbidden, NotFound, UnsupportedMediaType, field_error
from backend.http.pagination import Page, PageQuery, decode_cursor, encode_cursor
from backend.media import sniff, storage
from backend.media.avatars import AVATAR_SIZE, thumbnail_name
from backend.media.models import Media, MediaStatus
from backend.media.processing import MAKE_THUMBNAILS, lock_keys
from backend.media.schemas import MediaOut
from backend.media.sniff import ImageFormat
from backend.media.storage import ObjectNotFound, Storage
from backend.media.upload import ACCEPTED, ReceivedFile, UploadBody, receive_file
from backend.outbox.transaction import transaction
from backend.settings import Settings

PUBLIC_NAME = re.compile(r"^(?P<digest>[0-9a-f]{64})\.(?P<extension>webp|jpg)$")
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
MISSING_MEDIA = "No such media."


# Uploading


async def upload(settings: Settings, owner: User, body: UploadBody) -> Media:
    """Store the upload's original, record the media and queue its thumbnails."""
    media_id = uuid.uuid4()
    key = storage.original_key(media_id)
    store = storage.storage_for(settings)
    received = await receive_file(body, store, key, settings.media_max_upload_bytes)
    return await _register(store, owner, media_id, received)


async def add_image(settings: Settings, owner: User, data: bytes) -> Media:
    """The same as an upload, for an image already in memory (demo data, imports)."""
    image_format = sniff.detect(data[: sniff.HEAD_BYTES])
    if image_format is None:
        raise UnsupportedMediaType(f"This file is not a {ACCEPTED} image.")
    media_id = uuid.uuid4()
    store = storage.storage_for(settings)
    await store.put(storage.original_key(media_id), data)
    return await _register(store, owner, media_id, ReceivedFile(len(data), image_format))


async def _register(
    store: Storage, owner: User, media_id: uuid.UUID, received: ReceivedFile
) -> Media:
    key = storage.original_key(media_id)
    try:
        await _confirm_header(store, key, received.image_format)
        async with transaction() as tx:
            media = await Media.create(
                id=media_id,
                owner=owner,
                content_type=received.image_format.content_type,
                byte_size=received.byte_size,
                original_key=key,
            )
            await tx.enqueue(MAKE_THUMBNAILS, str(media_id))
    except BaseException:
        await store.delete(key)
        raise
    logger.info("media {} stored ({} bytes)", media_id, received.byte_size)
    return media


async def _confirm_header(store: Storage, key: str, image_format: ImageFormat) -> None:
    async with store.download(key) as source:
        valid = await asyncio.to_thread(sniff.header_is_valid, source, image_format)
    if not valid:
        raise UnsupportedMediaType(f"This file is not a valid {ACCEPTED} image.")


# Reading and listing


async def visible_media(media_id: uuid.UUID, viewer: User | None) -> Media:
    """Ready media is public; processing or failed media only shows to its owner."""
    media = await Media.get_or_none(id=media_id)
    if media is None or not _can_see(media, viewer):
        raise NotFound(MISSING_MEDIA)
    return media


def _can_see(media: Media, viewer: User | None) -> bool:
    return media.status == MediaStatus.READY or (viewer is not None and viewer.id == media.owner_id)


async def creator_media(handle: str, viewer: User | None, query: PageQuery) -> Page[MediaOut]:
    """A creator's media, newest first: ready ones only, unless the owner is asking."""
    creator = await User.get_or_none(handle=handle.lower(), role=Role.CREATOR)
    if creator is None:
        raise NotFound("No such creator.")
    listing = Media.filter(owner_id=creator.id)
    if viewer is None or viewer.id != creator.id:
        listing = listing.filter(status=MediaStatus.READY)
    after = decode_cursor(query.cursor, 2)
    if after is not None:
        created_at, last_id = _cursor_values(after)
        listing = listing.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=last_id)
        )
    rows = await listing.order_by("-created_at", "-id").limit(query.limit + 1)
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = encode_cursor(rows[-1].created_at.isoformat(), str(rows[-1].id)) if more else None
    return Page[MediaOut](items=[MediaOut.of(row) for row in rows], next_cursor=next_cursor)


def _cursor_values(values: list[Any]) -> tuple[datetime, uuid.UUID]:
    try:
        return datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except ValueError:
        raise field_error(
            "cursor", "The cursor is not valid; start again from the first page."
        ) from None


async def media_by_ids(media_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Media]:
    """The media with these ids (missing ones left out), for domains that show media."""
    ids = list(set(media_ids))
    if not ids:
        return {}
    return {media.id: media for media in await Media.filter(id__in=ids)}


async def own_ready_media(owner: User, media_ids: Sequence[uuid.UUID], field: str) -> None:
    """Check that each media is `owner`'s and ready: 404 for unknown media and other
    people's (as `visible_media` hides what is not theirs to use), 422 naming the item
    (`field.i`) for one that is still processing or failed.

    Inside the caller's transaction the rows stay locked until it ends, so a concurrent
    deletion of one waits for what the caller makes of them."""
    rows = Media.filter(id__in=list(media_ids), owner_id=owner.id).order_by("id")
    rows = rows.select_for_update()  # in one order: two drafts of the same photos never deadlock
    found = {media.id: media for media in await rows}
    for index, media_id in enumerate(media_ids):
        media = found.get(media_id)
        if media is None:
            raise NotFound(MISSING_MEDIA)
        if media.status != MediaStatus.READY:
            state = "is still processing" if media.status == MediaStatus.PROCESSING else "failed"
            raise field_error(
                f"{field}.{index}", f"This photo {state}; only ready photos can be used."
            )


# Deleting


async def delete(settings: Settings, media_id: uuid.UUID, user: User) -> None:
    """Delete one's own media, its files, and the avatar made from it."""
    async with in_transaction():
        media = await Media.filter(id=media_id).select_for_update().first()
        if media is None:
            raise NotFound(MISSING_MEDIA)
        if media.owner_id != user.id:
            raise Forbidden("Only the owner can delete this media.")
        avatar = thumbnail_name(media, AVATAR_SIZE)
        if avatar is not None:
            await User.filter(id=media.owner_id, avatar_url__endswith=f"/{avatar}").update(
                avatar_url=None
            )
        await media.delete()
    store = storage.storage_for(settings)
    await store.delete(media.original_key)
    for key in sorted({str(entry["key"]) for entry in media.derivatives.values()}):
        await _delete_if_unreferenced(store, key)
    logger.info("media {} deleted", media_id)


async def _delete_if_unreferenced(store: Storage, key: str) -> None:
    async with in_transaction() as connection:
        await lock_keys(connection, [key])
        _, rows = await connection.execute_query(
            "SELECT 1 FROM media WHERE jsonb_path_exists("
            "derivatives, '$.*.key ? (@ == $key)', jsonb_build_object('key', $1::text)) LIMIT 1",
            [key],
        )
        if not rows:
            await store.delete(key)


# Serving


def derivative_key_for(name: str) -> tuple[str, str] | None:
    """`<sha256>.webp` -> (its storage key, its content type); None for any other name."""
    match = PUBLIC_NAME.fullmatch(name)
    if match is None:
        return None
    extension = match["extension"]
    return storage.derivative_key(match["digest"], extension), CONTENT_TYPES[extension]


async def require_derivative(settings: Settings, key: str) -> None:
    if not await storage.storage_for(settings).exists(key):
        raise NotFound("No such media file.")


async def read_derivative(settings: Settings, key: str) -> bytes:
    try:
        return await storage.storage_for(settings).read(key)
    except ObjectNotFound:
        raise NotFound("No such media file.") from None
