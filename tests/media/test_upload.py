"""Uploading: who may, what is accepted, and what a hostile or oversized body gets."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.media.models import Media
from backend.media.storage import original_key
from backend.settings import Settings
from tests.media import images
from tests.media.rawhttp import post_streaming
from tests.media.support import stored_files, upload
from tests.support.accounts import Account, create_account

MiB = 1024 * 1024


@pytest.mark.worker
@pytest.mark.usefixtures("worker")
async def test_jpeg_png_and_webp_are_accepted_for_processing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    for data, content_type in (
        (images.jpeg(), "image/jpeg"),
        (images.png(), "image/png"),
        (images.webp(), "image/webp"),
    ):
        # The client's name and type are ignored: the bytes decide.
        response = await upload(
            client, creator, data, filename="upload.bin", content_type="application/octet-stream"
        )
        assert response.status_code == 202, response.text
        body = response.json()
        assert body["status"] == "processing"
        media = await Media.get(id=body["id"])
        assert (media.content_type, media.byte_size) == (content_type, len(data))
        assert str(media.owner_id) == creator.id
        original = settings.media_root / media.original_key
        assert original.read_bytes() == data


async def test_processing_media_is_shown_to_its_owner_only(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media = await Media.create(
        owner_id=creator.id,
        content_type="image/jpeg",
        byte_size=1234,
        original_key=original_key("00000000-0000-0000-0000-000000000001"),
    )

    own = await client.get(f"/api/media/{media.id}", headers=creator.auth)
    assert own.status_code == 200
    body = own.json()
    assert body["status"] == "processing"
    assert body["thumbnails"] == {}
    assert body["width"] is None
    assert body["ready_at"] is None

    fan = await create_account("fan")
    assert (await client.get(f"/api/media/{media.id}", headers=fan.auth)).status_code == 404
    anonymous = await client.get(f"/api/media/{media.id}")
    assert anonymous.status_code == 404
    assert anonymous.json()["error"]["code"] == "not_found"


async def test_a_renamed_text_file_is_415_and_nothing_is_kept(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    before = stored_files(settings.media_root)
    text = b"Dear diary, today I renamed a text file to .jpg and hoped for the best.\n" * 50
    response = await upload(client, creator, text, filename="holiday.jpg")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not await Media.exists()
    assert stored_files(settings.media_root) == before


async def test_an_image_signature_followed_by_junk_is_415(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fake = b"\xff\xd8\xff\xe0" + b"not really a jpeg at all " * 100
    response = await upload(client, creator, fake)
    assert response.status_code == 415
    assert not await Media.exists()


async def test_other_image_types_are_415(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    gif = images.encode(images.photo(64, 64), "GIF")
    response = await upload(client, creator, gif, filename="a.gif", content_type="image/gif")
    assert response.status_code == 415


async def test_a_fan_cannot_upload(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    response = await upload(client, fan, images.jpeg(200, 100))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    anonymous = await client.post("/api/media", files={"file": ("a.jpg", images.jpeg(20, 10))})
    assert anonymous.status_code == 401
    assert not await Media.exists()


async def test_the_body_must_be_multipart_with_a_file_field(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    raw = await client.post(
        "/api/media",
        content=images.jpeg(40, 30),
        headers={**creator.auth, "Content-Type": "image/jpeg"},
    )
    assert raw.status_code == 415

    wrong_field = await client.post(
        "/api/media", files={"photo": ("a.jpg", images.jpeg(40, 30))}, headers=creator.auth
    )
    assert wrong_field.status_code == 422
    assert wrong_field.json()["error"]["details"]["fields"][0]["field"] == "file"

    empty = await upload(client, creator, b"")
    assert empty.status_code == 422
    assert not await Media.exists()


def _multipart_head(boundary: str) -> bytes:
    return (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="huge.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()


async def _oversized_body(boundary: str, total: int) -> AsyncIterator[bytes]:
    """A multipart body whose file starts like a JPEG and goes on for `total` bytes,
    produced chunk by chunk (the test holds one 64 KiB chunk, never the body)."""
    yield _multipart_head(boundary) + b"\xff\xd8\xff\xe0"
    chunk = bytes(64 * 1024)
    for _ in range(total // len(chunk)):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def _upload_headers(creator: Account, boundary: str) -> dict[str, str]:
    return {**creator.auth, "Content-Type": f"multipart/form-data; boundary={boundary}"}


async def test_a_file_over_the_limit_is_413_with_memory_staying_flat(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    limit = settings.media_max_upload_bytes
    before = stored_files(settings.media_root)
    boundary = "digis-test-boundary"
    tracemalloc.start()
    try:
        # Sent chunked (no Content-Length to refuse up front), three times the limit.
        response = await post_streaming(
            client.base_url.host,
            client.base_url.port or 80,
            "/api/media",
            _upload_headers(creator, boundary),
            _oversized_body(boundary, 3 * limit),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    # The answer came once the limit was crossed, long before the body's end.
    assert response.sent < 2 * limit
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB while {response.sent / MiB:.0f} MiB came in"
    assert not await Media.exists()
    assert stored_files(settings.media_root) == before  # no partial file left behind


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    boundary = "digis-test-boundary"
    headers = _upload_headers(creator, boundary)
    headers["Content-Length"] = str(settings.media_max_upload_bytes + MiB)

    async def only_the_start() -> AsyncIterator[bytes]:
        yield _multipart_head(boundary) + images.jpeg(64, 64)
        await asyncio.Event().wait()  # the rest never comes: the answer must not wait for it

    response = await post_streaming(
        client.base_url.host, client.base_url.port or 80, "/api/media", headers, only_the_start()
    )
    assert response.status == 413
    assert not await Media.exists()


@pytest.mark.worker
@pytest.mark.usefixtures("worker")
async def test_a_file_just_under_the_limit_is_accepted(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    image = images.jpeg(64, 64)
    # Bytes after a JPEG's end marker are ignored by decoders: a valid, limit-sized image.
    data = image + bytes(settings.media_max_upload_bytes - len(image))
    response = await upload(client, creator, data)
    assert response.status_code == 202, response.text
    media = await Media.get(id=response.json()["id"])
    assert media.byte_size == settings.media_max_upload_bytes
    assert media.byte_size == len(data)
    assert (settings.media_root / media.original_key).read_bytes()[: len(image)] == image
