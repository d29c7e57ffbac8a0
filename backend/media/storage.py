"""Where media bytes live, behind one small interface: local files or an S3 bucket.

Keys are `originals/<media id>` (private: never routable, never a public object),
`derivatives/<sha256>.<ext>` (public: `MEDIA_PUBLIC_URL/<sha256>.<ext>` or the API's
`/media/<sha256>.<ext>`) and `protected/<sha256>.<ext>` (the thumbnails of protected media:
private, served only by the API's signed `/media/protected/<sha256>.<ext>`, never under
MEDIA_PUBLIC_URL). Every write is atomic: readers see a whole object or none, and
a write that fails leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from backend.settings import MediaStorage, Settings

ORIGINALS = "originals/"
DERIVATIVES = "derivatives/"
PROTECTED = "protected/"
KEY_PATTERN = re.compile(r"^(originals|derivatives|protected)/[A-Za-z0-9_-]+(\.[a-z0-9]{1,5})?$")
# Content-addressed names never change meaning: browsers and CDNs may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Stored with protected objects: no shared cache may keep them (the API sets its own).
PRIVATE = "private, no-cache"


def private_for(seconds: int) -> str:
    """What the API answers a signed URL with: this browser only, until the URL expires."""
    return f"private, max-age={max(0, seconds)}"


class ObjectNotFound(Exception):
    """No object is stored under this key."""


class ObjectWriter(Protocol):
    async def write(self, data: bytes) -> None: ...


class Storage(Protocol):
    def writer(
        self, key: str, *, content_type: str | None = None, cache_control: str | None = None
    ) -> AbstractAsyncContextManager[ObjectWriter]:
        """Stream an object in; it appears under `key` only if the block exits cleanly.

        `content_type` and `cache_control` are stored with the object, for whoever serves
        it straight from the storage (a CDN in front of a bucket)."""

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        cache_control: str | None = None,
    ) -> None: ...

    async def read(self, key: str) -> bytes:
        """A small object's bytes (a derivative); raises ObjectNotFound."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""

    def download(self, key: str) -> AbstractAsyncContextManager[BinaryIO]:
        """A seekable binary file of the object for blocking work (the image decoder),
        valid inside the block; raises ObjectNotFound."""

    async def presigned_url(self, key: str, expires_in: timedelta) -> str | None:
        """A URL that lets anyone GET this private object until it expires, or None when
        the storage has no such URLs (local files: the API must serve the object)."""


def original_key(media_id: object) -> str:
    return f"{ORIGINALS}{media_id}"


def derivative_key(digest: str, extension: str) -> str:
    return f"{DERIVATIVES}{digest}.{extension}"


def protected_key(digest: str, extension: str) -> str:
    return f"{PROTECTED}{digest}.{extension}"


def is_public(key: str) -> bool:
    return key.startswith(DERIVATIVES)


def is_protected(key: str) -> bool:
    return key.startswith(PROTECTED)


def protected_twin(key: str) -> str:
    """`derivatives/<hash>.<ext>` -> `protected/<hash>.<ext>` (the same content)."""
    if not is_public(check_key(key)):
        raise ValueError(f"not a public object: {key!r}")
    return PROTECTED + key.removeprefix(DERIVATIVES)


def public_twin(key: str) -> str:
    """`protected/<hash>.<ext>` -> `derivatives/<hash>.<ext>` (the same content)."""
    if not is_protected(check_key(key)):
        raise ValueError(f"not a protected object: {key!r}")
    return DERIVATIVES + key.removeprefix(PROTECTED)


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def storage_for(settings: Settings) -> Storage:
    if settings.media_storage == MediaStorage.S3:
        # Imported here so that local deployments never load the S3 client's extension.
        from backend.media import s3

        return s3.storage_for(settings)
    return LocalStorage(settings.media_root)


class _FileWriter:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    async def write(self, data: bytes) -> None:
        await asyncio.to_thread(self._handle.write, data)


class LocalStorage:
    """Objects as files under `root`, written to a temporary file and renamed into place.

    Headers are not stored: the API's `/media/` route sets them when it serves a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    @asynccontextmanager
    async def writer(
        self, key: str, *, content_type: str | None = None, cache_control: str | None = None
    ) -> AsyncIterator[ObjectWriter]:
        target = self.path(key)
        handle, temporary = await asyncio.to_thread(_temporary_beside, target)
        try:
            yield _FileWriter(handle)
            await asyncio.to_thread(_commit, handle, temporary, target)
        except BaseException:
            await asyncio.to_thread(_discard, handle, temporary)
            raise

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        cache_control: str | None = None,
    ) -> None:
        async with self.writer(key) as out:
            await out.write(data)

    async def read(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path(key).read_bytes)
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    @asynccontextmanager
    async def download(self, key: str) -> AsyncIterator[BinaryIO]:
        """The file itself: nothing to copy."""
        try:
            handle = await asyncio.to_thread(self.path(key).open, "rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        try:
            yield handle
        finally:
            handle.close()

    async def presigned_url(self, key: str, expires_in: timedelta) -> str | None:
        check_key(key)
        return None


def _temporary_beside(target: Path) -> tuple[BinaryIO, Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    return os.fdopen(descriptor, "wb"), Path(name)


def _commit(handle: BinaryIO, temporary: Path, target: Path) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    os.chmod(temporary, 0o644)
    temporary.replace(target)


def _discard(handle: BinaryIO, temporary: Path) -> None:
    handle.close()
    temporary.unlink(missing_ok=True)
