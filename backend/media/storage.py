"""Where media bytes live, behind a small interface (local files now, object storage later).

Keys are `originals/<media id>` (never routable) and `derivatives/<sha256>.<ext>` (served
at `/media/<sha256>.<ext>`). Every write is atomic: readers see a whole object or none.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
)
from pathlib import Path
from typing import BinaryIO, Protocol

from backend.settings import Settings

ORIGINALS = "originals/"
DERIVATIVES = "derivatives/"
KEY_PATTERN = re.compile(r"^(originals|derivatives)/[A-Za-z0-9_-]+(\.[a-z0-9]{1,5})?$")


class ObjectNotFound(Exception):
    """No object is stored under this key."""


class ObjectWriter(Protocol):
    async def write(self, data: bytes) -> None: ...


class Storage(Protocol):
    def writer(self, key: str) -> AbstractAsyncContextManager[ObjectWriter]:
        """Stream an object in; it appears under `key` only if the block exits cleanly."""

    async def put(self, key: str, data: bytes) -> None: ...

    async def read(self, key: str) -> bytes:
        """A small object's bytes (a derivative); raises ObjectNotFound."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A seekable binary file of the object, for blocking work (the image decoder)."""


def original_key(media_id: object) -> str:
    return f"{ORIGINALS}{media_id}"


def derivative_key(digest: str, extension: str) -> str:
    return f"{DERIVATIVES}{digest}.{extension}"


def storage_for(settings: Settings) -> Storage:
    return LocalStorage(settings.media_root)


class _FileWriter:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    async def write(self, data: bytes) -> None:
        await asyncio.to_thread(self._handle.write, data)


class LocalStorage:
    """Objects as files under `root`, written to a temporary file and renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not KEY_PATTERN.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    @asynccontextmanager
    async def writer(self, key: str) -> AsyncIterator[ObjectWriter]:
        target = self.path(key)
        handle, temporary = await asyncio.to_thread(_temporary_beside, target)
        try:
            yield _FileWriter(handle)
            await asyncio.to_thread(_commit, handle, temporary, target)
        except BaseException:
            await asyncio.to_thread(_discard, handle, temporary)
            raise

    async def put(self, key: str, data: bytes) -> None:
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

    @contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        try:
            handle = self.path(key).open("rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        with handle:
            yield handle


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
