"""Media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2...), through `obstore`.

Why obstore (the Python face of the Rust `object_store` crate) rather than aiobotocore or
aioboto3: one 6 MB wheel with no Python dependencies in the production image (botocore
alone is a 17 MB wheel and brings aiohttp with it); streaming writes that switch to a
multipart upload past one part and abort it when the writer fails; presigned URLs;
complete type hints; the standard credential chain (environment, web identity, the
container's and the instance's role) with refresh built in; actively maintained. Its
cost: it is pre-1.0 (pinned to one minor version) and its Rust runtime does not survive
`fork()`, so a store is only ever used in the process that created it (Celery's prefork
children create theirs on their first job; the parent never touches media).

Atomic visibility comes from S3 itself: a single PUT or a completed multipart upload
appears whole, an aborted one never appears. Incomplete uploads that could not even be
aborted (the process died) are invisible too; a bucket lifecycle rule removes them
(docs/deployment.md).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO, cast

import obstore
from loguru import logger
from obstore.store import S3Store

from backend.media.storage import ObjectNotFound, ObjectWriter, check_key
from backend.settings import Settings

if TYPE_CHECKING:
    from obstore import AsyncWritableFile, Attributes
    from obstore.store import S3Config

# S3's smallest part (but the last). A writer holds at most a part being filled plus
# UPLOAD_CONCURRENCY parts in flight, whatever the object's size.
PART_BYTES = 5 * 1024 * 1024
UPLOAD_CONCURRENCY = 2
# A downloaded original stays in memory up to this size, then goes to a temporary file.
SPOOL_MEMORY_BYTES = 2 * 1024 * 1024
DOWNLOAD_CHUNK_BYTES = 1024 * 1024
# Within a request's time: a few retries with backoff, never obstore's default 3 minutes.
RETRY_TIMEOUT = timedelta(seconds=20)
REQUEST_TIMEOUT = timedelta(seconds=30)


@dataclass(frozen=True)
class S3Location:
    """Which bucket, where in it, and how to reach it (credentials are the client's)."""

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> S3Location:
        assert settings.media_s3_bucket is not None  # the settings require it for s3
        endpoint = settings.media_s3_endpoint_url
        return cls(
            bucket=settings.media_s3_bucket,
            prefix=settings.media_s3_prefix,
            endpoint_url=str(endpoint).rstrip("/") if endpoint else None,
            region=settings.media_s3_region,
        )

    def store(self) -> S3Store:
        config: S3Config = {}
        if self.endpoint_url is not None:
            config["endpoint"] = self.endpoint_url
        if self.region is not None:
            config["region"] = self.region
        return S3Store(
            self.bucket,
            prefix=self.prefix or None,
            config=config,
            client_options={
                "allow_http": bool(self.endpoint_url and self.endpoint_url.startswith("http:")),
                "timeout": REQUEST_TIMEOUT,
                "connect_timeout": timedelta(seconds=5),
            },
            retry_config={"max_retries": 4, "retry_timeout": RETRY_TIMEOUT},
        )


_stores: dict[tuple[int, S3Location], S3Storage] = {}


def storage_for(settings: Settings) -> S3Storage:
    """One storage (one connection pool) per location and process."""
    key = (os.getpid(), S3Location.of(settings))
    if key not in _stores:
        _stores[key] = S3Storage(key[1].store())
    return _stores[key]


class _PartWriter:
    def __init__(self, file: AsyncWritableFile) -> None:
        self._file = file

    async def write(self, data: bytes) -> None:
        await self._file.write(data)


class S3Storage:
    """The `Storage` protocol over one bucket (and key prefix)."""

    def __init__(self, store: S3Store, *, part_bytes: int = PART_BYTES) -> None:
        self.store = store
        self.part_bytes = part_bytes

    @asynccontextmanager
    async def writer(
        self, key: str, *, content_type: str | None = None, cache_control: str | None = None
    ) -> AsyncIterator[ObjectWriter]:
        file = obstore.open_writer_async(
            self.store,
            check_key(key),
            attributes=_attributes(content_type, cache_control),
            buffer_size=self.part_bytes,
            max_concurrency=UPLOAD_CONCURRENCY,
        )
        try:
            yield _PartWriter(file)
        except BaseException as error:
            await _abort(file, key, error)
            raise
        await file.close()

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        cache_control: str | None = None,
    ) -> None:
        await obstore.put_async(
            self.store,
            check_key(key),
            data,
            attributes=_attributes(content_type, cache_control),
            use_multipart=len(data) > self.part_bytes,
            chunk_size=self.part_bytes,
            max_concurrency=UPLOAD_CONCURRENCY,
        )

    async def read(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self.store, check_key(key))
            return bytes(await result.bytes_async())
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self.store, check_key(key))
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        await obstore.delete_async(self.store, check_key(key))  # S3: a missing key is fine

    @asynccontextmanager
    async def download(self, key: str) -> AsyncIterator[BinaryIO]:
        """A spooled temporary copy: the decoder seeks, an HTTP body cannot."""
        try:
            result = await obstore.get_async(self.store, check_key(key))
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES) as spool:
            async for chunk in result.stream(min_chunk_size=DOWNLOAD_CHUNK_BYTES):
                await asyncio.to_thread(spool.write, chunk)
            spool.seek(0)
            yield cast(BinaryIO, spool)

    async def presigned_url(self, key: str, expires_in: timedelta) -> str | None:
        return await obstore.sign_async(self.store, "GET", check_key(key), expires_in)


def _attributes(content_type: str | None, cache_control: str | None) -> Attributes:
    attributes: Attributes = {}
    if content_type is not None:
        attributes["Content-Type"] = content_type
    if cache_control is not None:
        attributes["Cache-Control"] = cache_control
    return attributes


async def _abort(file: AsyncWritableFile, key: str, error: BaseException) -> None:
    """Abort the upload (a started multipart upload is deleted); never mask `error`."""
    try:
        await file.__aexit__(type(error), error, error.__traceback__)
    except Exception:  # noqa: BLE001 - the upload stays invisible; the lifecycle rule removes it
        logger.opt(exception=True).warning("could not abort the upload of {}", key)
