"""The storage contract, the same for every backend: local files and an S3 bucket (moto's
server, or the one S3_TEST_ENDPOINT names)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from backend.media.s3 import PART_BYTES, S3Location, S3Storage
from backend.media.storage import (
    IMMUTABLE,
    LocalStorage,
    ObjectNotFound,
    Storage,
    derivative_key,
    original_key,
)
from tests.support.s3 import S3Target
from tests.support.waiting import eventually

MiB = 1024 * 1024
CHUNK = 256 * 1024


@dataclass
class Backend:
    """A storage under test, and a look at what it really holds."""

    name: str
    storage: Storage
    root: Path | None = None  # local files
    s3: S3Target | None = None
    prefix: str = ""  # in the bucket

    def stored(self) -> list[str]:
        """Everything the backend holds, temporary files and unfinished uploads included."""
        if self.root is not None:
            return sorted(
                str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()
            )
        assert self.s3 is not None
        return self.s3.keys(self.prefix) + self.s3.uploads_in_progress(self.prefix)

    def uploads_in_progress(self) -> list[str]:
        return self.s3.uploads_in_progress(self.prefix) if self.s3 is not None else []


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "local":
        yield Backend("local", LocalStorage(tmp_path), root=tmp_path)
    else:
        yield from _in_bucket(request)


@pytest.fixture
def s3_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """For what only a bucket has: headers stored with objects, key prefixes."""
    yield from _in_bucket(request)


def _in_bucket(request: pytest.FixtureRequest) -> Iterator[Backend]:
    s3: S3Target = request.getfixturevalue("s3")
    prefix = f"{request.getfixturevalue('s3_prefix')}/contract-{uuid.uuid4().hex[:8]}"
    location = S3Location(s3.bucket, prefix, s3.endpoint, s3.region)
    yield Backend("s3", S3Storage(location.store()), s3=s3, prefix=prefix)
    s3.remove(prefix)


def new_original() -> str:
    return original_key(uuid.uuid4())


def pattern(size: int, seed: int = 0) -> Iterator[bytes]:
    """`size` reproducible, incompressible-looking bytes, one chunk at a time."""
    block = hashlib.sha256(str(seed).encode()).digest() * (CHUNK // 32)
    for start in range(0, size, CHUNK):
        yield bytes(b ^ (start // CHUNK % 251) for b in block[: min(CHUNK, size - start)])


def digest_of(chunks: Iterator[bytes]) -> str:
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk)
    return hasher.hexdigest()


async def stream_in(storage: Storage, key: str, size: int) -> None:
    async with storage.writer(key) as out:
        for chunk in pattern(size):
            await out.write(chunk)


async def test_an_object_streamed_in_reads_back_whole(backend: Backend) -> None:
    key = new_original()
    data = b"".join(pattern(3 * CHUNK + 17))
    async with backend.storage.writer(key) as out:
        for start in range(0, len(data), 100_000):
            await out.write(data[start : start + 100_000])

    assert await backend.storage.exists(key)
    assert await backend.storage.read(key) == data
    async with backend.storage.download(key) as source:
        assert source.read() == data
        source.seek(len(data) - 17)  # the decoder seeks: a download must allow it
        assert source.read() == data[-17:]
        source.seek(0)
        assert source.read(5) == data[:5]


async def test_put_then_delete(backend: Backend) -> None:
    key = derivative_key("ab" * 32, "webp")
    await backend.storage.put(key, b"RIFF....WEBP", content_type="image/webp")
    assert await backend.storage.read(key) == b"RIFF....WEBP"

    await backend.storage.delete(key)
    assert not await backend.storage.exists(key)
    with pytest.raises(ObjectNotFound):
        await backend.storage.read(key)
    await backend.storage.delete(key)  # again: not an error
    assert backend.stored() == []


async def test_a_missing_key(backend: Backend) -> None:
    key = new_original()
    assert not await backend.storage.exists(key)
    with pytest.raises(ObjectNotFound):
        await backend.storage.read(key)
    with pytest.raises(ObjectNotFound):
        async with backend.storage.download(key):
            pass
    await backend.storage.delete(key)  # deleting what is not there is not an error


async def test_nothing_is_visible_until_the_writer_finishes(backend: Backend) -> None:
    key = new_original()
    size = 2 * PART_BYTES + CHUNK  # past one part: S3 is in the middle of a multipart upload
    async with backend.storage.writer(key) as out:
        for chunk in pattern(size):
            await out.write(chunk)
        assert not await backend.storage.exists(key)
        with pytest.raises(ObjectNotFound):
            await backend.storage.read(key)
        with pytest.raises(ObjectNotFound):
            async with backend.storage.download(key):
                pass
    assert await backend.storage.exists(key)
    async with backend.storage.download(key) as source:
        assert digest_of(iter(lambda: source.read(CHUNK), b"")) == digest_of(pattern(size))


async def test_a_very_large_upload_goes_in_parts_and_reads_back_whole(backend: Backend) -> None:
    key = new_original()
    size = 3 * PART_BYTES + MiB + 1  # four parts, the last one short
    await stream_in(backend.storage, key, size)

    async with backend.storage.download(key) as source:
        assert digest_of(iter(lambda: source.read(CHUNK), b"")) == digest_of(pattern(size))
    assert backend.uploads_in_progress() == []
    if backend.s3 is not None:
        # A multipart object's ETag ends with its number of parts.
        assert backend.s3.head(backend.prefix, key)["ETag"].strip('"').endswith("-4")


class WriterFailed(Exception):
    pass


async def test_a_writer_that_fails_leaves_nothing(backend: Backend) -> None:
    key = new_original()
    with pytest.raises(WriterFailed):
        await _write_parts_then_fail(backend, key)
    assert not await backend.storage.exists(key)
    assert backend.stored() == []  # no object, no temporary file, no unfinished upload


async def _write_parts_then_fail(backend: Backend, key: str) -> None:
    async with backend.storage.writer(key) as out:
        for chunk in pattern(2 * PART_BYTES + CHUNK):
            await out.write(chunk)
        if backend.s3 is not None:  # the parts are on their way
            assert await eventually(lambda: asyncio.to_thread(backend.uploads_in_progress))
        raise WriterFailed


async def test_a_writer_that_fails_before_any_byte_leaves_nothing(backend: Backend) -> None:
    key = new_original()
    with pytest.raises(WriterFailed):
        await _fail_at_once(backend.storage, key)
    assert backend.stored() == []


async def _fail_at_once(storage: Storage, key: str) -> None:
    async with storage.writer(key):
        raise WriterFailed


async def test_rewriting_a_key_replaces_it_whole(backend: Backend) -> None:
    key = derivative_key("cd" * 32, "jpg")
    await backend.storage.put(key, b"first")
    await backend.storage.put(key, b"second, longer")
    assert await backend.storage.read(key) == b"second, longer"


async def test_only_media_keys_are_accepted(backend: Backend) -> None:
    for key in ("../etc/passwd", "originals/../x", "thumbnails/a.webp", "originals/a b", ""):
        with pytest.raises(ValueError, match="not a storage key"):
            await backend.storage.exists(key)
        with pytest.raises(ValueError, match="not a storage key"):
            await backend.storage.put(key, b"x")


async def test_a_presigned_url_reads_a_private_object(backend: Backend) -> None:
    key = new_original()
    await backend.storage.put(key, b"private original")
    url = await backend.storage.presigned_url(key, timedelta(minutes=5))
    if backend.s3 is None:
        assert url is None  # local files: the API serves them itself
        return
    assert url is not None
    async with httpx.AsyncClient() as anonymous:  # no credentials but the URL's signature
        response = await anonymous.get(url)
    assert response.status_code == 200
    assert response.content == b"private original"


async def test_s3_objects_carry_their_content_type_and_cache_control(s3_backend: Backend) -> None:
    assert s3_backend.s3 is not None
    small = derivative_key("ef" * 32, "webp")
    await s3_backend.storage.put(small, b"RIFF", content_type="image/webp", cache_control=IMMUTABLE)
    large = derivative_key("12" * 32, "jpg")
    async with s3_backend.storage.writer(
        large, content_type="image/jpeg", cache_control=IMMUTABLE
    ) as out:
        for chunk in pattern(PART_BYTES + CHUNK):  # multipart: set when the upload starts
            await out.write(chunk)
    for key, content_type in ((small, "image/webp"), (large, "image/jpeg")):
        head = s3_backend.s3.head(s3_backend.prefix, key)
        assert head["ContentType"] == content_type
        assert head["CacheControl"] == "public, max-age=31536000, immutable"


async def test_s3_prefixes_keep_deployments_apart(s3_backend: Backend) -> None:
    assert s3_backend.s3 is not None
    s3 = s3_backend.s3
    key = new_original()
    await s3_backend.storage.put(key, b"mine")
    other = S3Storage(
        S3Location(s3.bucket, f"{s3_backend.prefix}-other", s3.endpoint, s3.region).store()
    )
    assert not await other.exists(key)
    assert s3.keys(s3_backend.prefix) == [key]
