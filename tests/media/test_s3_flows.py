"""Upload, thumbnails and delete end to end on the S3 backend: the real API and a real
Celery worker, both with MEDIA_STORAGE=s3, against moto's server (or S3_TEST_ENDPOINT).

Run twice: with MEDIA_PUBLIC_URL at the bucket's public base (thumbnails fetched from the
S3 server itself, as a CDN would), and without it (the API's /media/ route reads them
through the storage).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from backend.media import service
from backend.media.models import BLUR, Media
from backend.notifications.models import Notification
from backend.settings import get_settings, load_settings
from tests.media import images
from tests.media.rawhttp import post_streaming
from tests.media.support import settled, stored_files, upload, upload_ok
from tests.support.accounts import Account, create_account
from tests.support.s3 import S3Target
from tests.support.server import serve
from tests.support.waiting import eventually
from tests.support.worker import Process, celery_worker, worker_env

pytestmark = pytest.mark.worker

MiB = 1024 * 1024
UPLOAD_LIMIT = 12 * MiB  # over two S3 parts: an oversized upload is mid-multipart at 413


@dataclass
class S3Stack:
    """An API and a worker sharing nothing but the database, Redis and the bucket."""

    client: httpx.AsyncClient
    worker: Process
    s3: S3Target
    prefix: str
    public_base: str | None  # MEDIA_PUBLIC_URL, when thumbnails are served from the bucket
    media_root: Path  # MEDIA_ROOT, which must stay empty

    def objects(self) -> list[str]:
        return self.s3.keys(self.prefix)

    async def fetch(self, url: str) -> httpx.Response:
        """A thumbnail, as a browser would fetch it: from the bucket or from the API."""
        if url.startswith("/"):
            return await self.client.get(url)
        async with httpx.AsyncClient() as anonymous:
            return await anonymous.get(url)


@pytest.fixture(scope="module", params=["public-url", "api-route"])
async def s3_stack(
    request: pytest.FixtureRequest,
    database: str,
    redis: Redis,
    s3: S3Target,
    s3_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[S3Stack]:
    public = request.param == "public-url"
    if public and s3.public_base is None:
        pytest.skip("S3_TEST_PUBLIC_URL is not set: no public base to fetch thumbnails from")
    prefix = f"{s3_prefix}/flows-{request.param}"
    media_root = tmp_path_factory.mktemp("unused-media-root")
    namespace = f"{os.environ['REDIS_NAMESPACE']}-{request.param}"
    overrides = {
        **s3.media_env(prefix, public=public),
        "MEDIA_ROOT": str(media_root),
        "MEDIA_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
        # Its own broker keys: the session's local-storage worker must not take these jobs.
        "REDIS_NAMESPACE": namespace,
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    get_settings.cache_clear()  # thumbnail URLs follow the process's settings
    try:
        log = tmp_path_factory.mktemp("s3-worker") / "worker.log"
        with celery_worker(worker_env(dict(os.environ)), log) as worker:
            async with serve(load_settings(_env_file=None)) as client:
                public_base = overrides["MEDIA_PUBLIC_URL"] or None
                yield S3Stack(client, worker, s3, prefix, public_base, media_root)
    finally:
        _restore(saved)
        get_settings.cache_clear()
        async for key in redis.scan_iter(match=f"{namespace}:*", count=500):
            await redis.delete(key)
        s3.remove(prefix)


@pytest.fixture
def stack(s3_stack: S3Stack) -> Iterator[S3Stack]:
    """The module's stack, its bucket corner emptied after each test (like the tables)."""
    yield s3_stack
    s3_stack.s3.remove(s3_stack.prefix)


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


async def _ready(stack: S3Stack, creator: Account, data: bytes) -> dict[str, Any]:
    media_id = await upload_ok(stack.client, creator, data)
    media = await settled(stack.client, creator, media_id)
    assert media["status"] == "ready", media
    return media


async def test_an_upload_is_stored_thumbnailed_and_served_from_the_bucket(stack: S3Stack) -> None:
    creator = await create_account("creator")
    data = images.jpeg(1600, 1200)
    media = await _ready(stack, creator, data)

    row = await Media.get(id=media["id"])
    original = stack.s3.client().get_object(
        Bucket=stack.s3.bucket, Key=f"{stack.prefix}/{row.original_key}"
    )
    assert original["Body"].read() == data
    assert set(stack.objects()) == {
        row.original_key,
        *(str(entry["key"]) for entry in row.derivatives.values()),
    }
    assert stored_files(stack.media_root) == []  # nothing leaned on a local disk

    for thumbnail in media["thumbnails"].values():
        url: str = thumbnail["url"]
        name = url.rsplit("/", 1)[1]
        expected = f"{stack.public_base}/{name}" if stack.public_base else f"/media/{name}"
        assert url == expected
        served = await stack.fetch(url)
        assert served.status_code == 200, url
        assert served.headers["content-type"] == thumbnail["content_type"]
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert hashlib.sha256(served.content).hexdigest() == name.partition(".")[0]
        assert images.open_image(served.content).size == (thumbnail["width"], thumbnail["height"])

    # The worker made the notification's URL with its own settings: the same URL.
    notice = await eventually(
        lambda: Notification.get_or_none(recipient_id=creator.id, kind="media_ready")
    )
    assert notice is not None
    assert notice.data["thumbnail_url"] == media["thumbnails"]["320"]["url"]


async def test_deleting_removes_the_original_and_the_thumbnails_from_the_bucket(
    stack: S3Stack,
) -> None:
    creator = await create_account("creator")
    media = await _ready(stack, creator, images.png(900, 700))
    assert len(stack.objects()) == 4  # the original, two thumbnails, the blurred preview

    response = await stack.client.delete(f"/api/media/{media['id']}", headers=creator.auth)
    assert response.status_code == 204
    assert stack.objects() == []
    for thumbnail in media["thumbnails"].values():
        # A bucket without list rights for the public answers 403 for a missing key.
        assert (await stack.fetch(thumbnail["url"])).status_code in {403, 404}


async def test_a_thumbnail_shared_by_two_media_outlives_the_first_delete(stack: S3Stack) -> None:
    creator = await create_account("creator")
    picture = images.jpeg(800, 600)
    first = await _ready(stack, creator, picture)
    second = await _ready(stack, creator, picture)
    assert first["thumbnails"] == second["thumbnails"]

    response = await stack.client.delete(f"/api/media/{first['id']}", headers=creator.auth)
    assert response.status_code == 204
    for thumbnail in second["thumbnails"].values():
        assert (await stack.fetch(thumbnail["url"])).status_code == 200
    assert len(stack.objects()) == 4  # the second original and the three shared files


async def test_protecting_moves_the_thumbnails_out_of_the_public_bucket(
    stack: S3Stack,
) -> None:
    creator = await create_account("creator")
    media = await _ready(stack, creator, images.jpeg(900, 600))
    before = await Media.get(id=media["id"])

    await service.protect(load_settings(_env_file=None), [before.id])

    row = await Media.get(id=media["id"])
    assert row.protected
    private = {str(entry["key"]) for size, entry in row.derivatives.items() if size != BLUR}
    assert all(key.startswith("protected/") for key in private)
    assert set(stack.objects()) == {row.original_key, str(row.derivatives[BLUR]["key"]), *private}
    for key in private:
        assert stack.s3.head(stack.prefix, key)["CacheControl"].startswith("private")
    for thumbnail in media["thumbnails"].values():
        # A bucket without list rights for the public answers 403 for a missing key.
        assert (await stack.fetch(thumbnail["url"])).status_code in {403, 404}
    if stack.public_base is not None:  # the bucket's policy exposes derivatives/ only
        bucket_base = stack.public_base.removesuffix("/derivatives")
        async with httpx.AsyncClient() as anonymous:
            for key in private:
                assert (await anonymous.get(f"{bucket_base}/{key}")).status_code == 403

    owned = await stack.client.get(f"/api/media/{media['id']}", headers=creator.auth)
    for thumbnail in owned.json()["thumbnails"].values():
        url: str = thumbnail["url"]
        assert url.startswith("/media/protected/")  # the API, whatever MEDIA_PUBLIC_URL is
        served = await stack.client.get(url)
        assert served.status_code == 200, served.text
        assert served.headers["cache-control"].startswith("private, max-age=")
        assert served.headers["content-type"] == thumbnail["content_type"]
        name = url.removeprefix("/media/protected/").partition("?")[0]
        assert hashlib.sha256(served.content).hexdigest() == name.partition(".")[0]

    await service.protect(load_settings(_env_file=None), [before.id])  # idempotent
    assert _keys(await Media.get(id=media["id"])) == _keys(row)


def _keys(media: Media) -> dict[str, str]:
    return {size: str(entry["key"]) for size, entry in media.derivatives.items()}


async def test_refused_uploads_leave_nothing_in_the_bucket(stack: S3Stack) -> None:
    creator = await create_account("creator")
    text = await upload(stack.client, creator, b"just some text, named .jpg\n" * 100)
    assert text.status_code == 415
    # A JPEG signature then junk: refused after the header check read it back from S3.
    junk = await upload(stack.client, creator, b"\xff\xd8\xff\xe0" + b"junk " * 10_000)
    assert junk.status_code == 415

    boundary = f"digis-{uuid.uuid4().hex}"
    oversized = await post_streaming(
        stack.client.base_url.host,
        stack.client.base_url.port or 80,
        "/api/media",
        {**creator.auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        _body(boundary, 2 * UPLOAD_LIMIT),
    )
    assert oversized.status == 413
    assert not await Media.exists()
    assert stack.objects() == []
    assert stack.s3.uploads_in_progress(stack.prefix) == []  # the multipart was aborted


async def _body(boundary: str, size: int) -> AsyncIterator[bytes]:
    yield (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="huge.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + b"\xff\xd8\xff\xe0"
    chunk = bytes(256 * 1024)
    for _ in range(size // len(chunk)):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()
