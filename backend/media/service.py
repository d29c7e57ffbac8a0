"""Media: accepting uploads, reading, listing, protecting, deleting and serving (the
thumbnail and preview jobs are in `processing`).

Derivatives are content-addressed, so media with the same pixels share files: deleting or
protecting one removes a public derivative only when no other media refers to it, under
the same lock the job holds while adopting it (`processing.lock_keys`).

Protected media (a locked post's photos) keep their thumbnails under private `protected/`
keys, served only through signed URLs (`signed`); only their owner sees them in this
domain's own reads. Their blurred preview stays public.
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
from backend.media import signed, sniff, storage
from backend.media.avatars import AVATAR_SIZE, thumbnail_name
from backend.media.models import BLUR, Media, MediaStatus
from backend.media.processing import MAKE_PREVIEW, MAKE_THUMBNAILS, lock_keys
from backend.media.schemas import MediaOut
from backend.media.sniff import ImageFormat
from backend.media.storage import PRIVATE, ObjectNotFound, Storage
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
    """Ready, unprotected media is public; processing, failed or protected media only
    shows to its owner (a locked post shows its photos to others through posts)."""
    media = await Media.get_or_none(id=media_id)
    if media is None or not _can_see(media, viewer):
        raise NotFound(MISSING_MEDIA)
    return media


def _can_see(media: Media, viewer: User | None) -> bool:
    if viewer is not None and viewer.id == media.owner_id:
        return True
    return media.status == MediaStatus.READY and not media.protected


async def creator_media(handle: str, viewer: User | None, query: PageQuery) -> Page[MediaOut]:
    """A creator's media, newest first: ready, unprotected ones only, unless the owner is
    asking."""
    creator = await User.get_or_none(handle=handle.lower(), role=Role.CREATOR)
    if creator is None:
        raise NotFound("No such creator.")
    listing = Media.filter(owner_id=creator.id)
    if viewer is None or viewer.id != creator.id:
        listing = listing.filter(status=MediaStatus.READY, protected=False)
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


# Protecting (a locked post's photos)


async def protect(settings: Settings, media_ids: Sequence[uuid.UUID]) -> None:
    """Make each media item protected: its thumbnails (not its blurred preview) copied to
    private keys, the row pointing at them with `protected` set, then the public files
    deleted unless an unprotected media item still uses them. Unknown ids are skipped.

    Idempotent, safe to run concurrently and again after a crash anywhere: the private
    copy is written first, the row flipped (under its lock) next, the public file deleted
    last, and a run on a protected row finishes any deletion left undone. Media still
    processing is flagged: its job then writes the thumbnails to private keys. A ready
    item without a preview gets one made by the preview job.

    Call it outside (before) the caller's own transaction: its deletions follow its own
    commit, and are not undone if the caller's transaction rolls back."""
    store = storage.storage_for(settings)
    for media_id in sorted(set(media_ids)):
        await _protect_one(store, media_id)


async def _protect_one(store: Storage, media_id: uuid.UUID) -> None:
    async with transaction() as tx:
        media = await Media.filter(id=media_id).select_for_update().first()
        if media is None:
            return
        moving = {
            size: str(entry["key"])
            for size, entry in media.derivatives.items()
            if size != BLUR and storage.is_public(str(entry["key"]))
        }
        await lock_keys(
            tx.connection,
            [k for key in moving.values() for k in (key, storage.protected_twin(key))],
        )
        for size, key in moving.items():
            await _copy_private(store, key, str(media.derivatives[size]["content_type"]))
        if moving or not media.protected:
            await _drop_avatar(media)
            media.derivatives = {
                size: {**entry, "key": storage.protected_twin(moving[size])}
                if size in moving
                else entry
                for size, entry in media.derivatives.items()
            }
            media.protected = True
            await media.save(update_fields=["derivatives", "protected"])
            if media.status == MediaStatus.READY and BLUR not in media.derivatives:
                await tx.enqueue(MAKE_PREVIEW, str(media.id))
    for entry in media.derivatives.values():
        key = str(entry["key"])
        if storage.is_protected(key):
            await _delete_if_unreferenced(store, storage.public_twin(key))
    logger.info("media {} protected", media_id)


async def _copy_private(store: Storage, key: str, content_type: str) -> None:
    private = storage.protected_twin(key)
    try:
        data = await store.read(key)
    except ObjectNotFound:
        if await store.exists(private):
            return  # copied before; the public file went with another row's protection
        raise
    await store.put(private, data, content_type=content_type, cache_control=PRIVATE)


async def _drop_avatar(media: Media) -> None:
    """A locked post's photo is no one's public avatar (as when it is deleted)."""
    avatar = thumbnail_name(media, AVATAR_SIZE)
    if avatar is not None:
        await User.filter(id=media.owner_id, avatar_url__endswith=f"/{avatar}").update(
            avatar_url=None
        )


# Previews of media made before previews were

MISSING_PREVIEWS = """
SELECT "id" FROM "media"
WHERE "status" = 'ready' AND NOT jsonb_exists("derivatives", $1::text) AND "id" > $2::uuid
ORDER BY "id" LIMIT $3
"""


async def queue_missing_previews(batch_size: int = 500) -> int:
    """Queue the preview job of every ready media item without a blurred preview, one
    transaction per batch; answers how many were queued. Safe to run again (the job does
    nothing for media that has its preview by then)."""
    queued = 0
    after = uuid.UUID(int=0)
    while True:
        async with transaction() as tx:
            _, rows = await tx.connection.execute_query(
                MISSING_PREVIEWS, [BLUR, str(after), batch_size]
            )
            for row in rows:
                await tx.enqueue(MAKE_PREVIEW, str(row["id"]))
        queued += len(rows)
        if len(rows) < batch_size:
            return queued
        after = uuid.UUID(str(rows[-1]["id"]))


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


def protected_key_for(name: str) -> tuple[str, str] | None:
    """`<sha256>.webp` -> (its protected storage key, its content type); None otherwise."""
    found = derivative_key_for(name)
    if found is None:
        return None
    key, content_type = found
    return storage.protected_twin(key), content_type


def check_signature(
    settings: Settings, key: str, expires: str | None, signature: str | None
) -> int:
    """The seconds a signed URL of `key` has left; 403 when it is not valid (any more)."""
    try:
        return signed.verify(settings, key, expires, signature).seconds_left
    except signed.SignatureExpired:
        raise Forbidden(
            "This link has expired; reload the page.", code="signature_expired"
        ) from None
    except signed.InvalidSignature:
        raise Forbidden("This link is not valid.", code="invalid_signature") from None


async def require_derivative(settings: Settings, key: str) -> None:
    if not await storage.storage_for(settings).exists(key):
        raise NotFound("No such media file.")


async def read_derivative(settings: Settings, key: str) -> bytes:
    try:
        return await storage.storage_for(settings).read(key)
    except ObjectNotFound:
        raise NotFound("No such media file.") from None
