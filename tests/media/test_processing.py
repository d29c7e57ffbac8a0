"""The thumbnail job, through the real API, outbox, broker and Celery worker."""

from __future__ import annotations

import httpx
import pytest
from PIL import Image

from backend.media.models import Media
from backend.notifications.models import Notification
from backend.outbox.models import JobStatus, OutboxJob
from tests.media import images
from tests.media.support import settled, upload, upload_ok
from tests.support.accounts import create_account
from tests.support.waiting import eventually

pytestmark = pytest.mark.worker


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("data", "content_type", "size"),
    [
        pytest.param(images.jpeg(1600, 1200), "image/jpeg", (1600, 1200), id="jpeg"),
        pytest.param(images.png(800, 600), "image/png", (800, 600), id="png"),
        pytest.param(images.webp(1200, 800), "image/webp", (1200, 800), id="webp"),
    ],
)
async def test_round_trip(
    client: httpx.AsyncClient, data: bytes, content_type: str, size: tuple[int, int]
) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, data)

    media = await settled(client, creator, media_id)
    assert media["status"] == "ready", media
    assert media["content_type"] == content_type
    assert media["byte_size"] == len(data)
    assert (media["width"], media["height"]) == size
    assert media["failure_reason"] is None
    assert media["ready_at"] is not None
    assert set(media["thumbnails"]) == {"320", "960"}
    for long_side, thumbnail in media["thumbnails"].items():
        expected = _fit(size, int(long_side))
        assert (thumbnail["width"], thumbnail["height"]) == expected
        served = await client.get(thumbnail["url"])  # public: no credentials
        assert served.status_code == 200
        assert served.headers["content-type"] == thumbnail["content_type"]
        image = images.open_image(served.content)
        assert image.size == expected
        assert (
            image.format
            == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[served.headers["content-type"]]
        )

    # Ready media is public.
    public = await client.get(f"/api/media/{media_id}")
    assert public.status_code == 200
    assert public.json()["thumbnails"] == media["thumbnails"]


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    ratio = min(1.0, long_side / max(width, height))
    return round(width * ratio), round(height * ratio)


@pytest.mark.usefixtures("worker")
async def test_the_owner_is_notified_when_ready(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(800, 600))
    media = await settled(client, creator, media_id)

    notices = await eventually(
        lambda: Notification.filter(recipient_id=creator.id, kind="media_ready"),
        lambda found: len(found) > 0,
    )
    assert len(notices) == 1
    assert notices[0].data == {
        "media_id": media_id,
        "thumbnail_url": media["thumbnails"]["320"]["url"],
    }


@pytest.mark.usefixtures("worker")
async def test_exif_rotation_is_applied_and_metadata_removed(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    original = images.sideways_phone_photo(1200, 600)
    assert images.open_image(original).getexif().get_ifd(0x8825)  # it does carry GPS
    media_id = await upload_ok(client, creator, original)

    media = await settled(client, creator, media_id)
    assert media["status"] == "ready", media
    assert (media["width"], media["height"]) == (600, 1200)  # displayed upright: portrait
    for long_side, thumbnail in media["thumbnails"].items():
        data = (await client.get(thumbnail["url"])).content
        image = images.open_image(data)
        assert image.height == int(long_side)
        assert image.width == int(long_side) // 2
        # Red was on the left; a quarter turn to the right puts it on top.
        red, _, blue = _rgb(image, image.width // 2, image.height // 8)
        assert red > 150 > blue
        red, _, blue = _rgb(image, image.width // 2, image.height * 7 // 8)
        assert blue > 150 > red
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert "xmp" not in image.info
        assert b"PhoneCo" not in data
        assert b"Exif" not in data


def _rgb(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    pixel = image.convert("RGB").getpixel((x, y))
    assert isinstance(pixel, tuple)
    red, green, blue = pixel
    return int(red), int(green), int(blue)


@pytest.mark.usefixtures("worker")
async def test_transparency_survives(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.transparent_png(600, 400))
    media = await settled(client, creator, media_id)
    thumbnail = media["thumbnails"]["320"]
    assert thumbnail["content_type"] == "image/webp"
    image = images.open_image((await client.get(thumbnail["url"])).content)
    assert image.mode == "RGBA"
    assert image.getchannel("A").getpixel((image.width - 5, 5)) == 0  # the clear half stays clear
    assert image.getchannel("A").getpixel((5, 5)) == 255


@pytest.mark.usefixtures("worker")
async def test_a_decompression_bomb_fails_with_a_reason(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    bomb = images.decompression_bomb(8000)  # 64 million pixels in a few kilobytes
    media_id = await upload_ok(client, creator, bomb)

    media = await settled(client, creator, media_id)
    assert media["status"] == "failed"
    assert "million pixels" in media["failure_reason"]
    assert media["thumbnails"] == {}
    await _job_failed_without_retrying(media_id)
    await _worker_still_works(client)


@pytest.mark.usefixtures("worker")
async def test_a_truncated_jpeg_fails_with_a_reason(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.truncated_jpeg())

    media = await settled(client, creator, media_id)
    assert media["status"] == "failed"
    assert "corrupt or incomplete" in media["failure_reason"]
    await _job_failed_without_retrying(media_id)
    # Failed media is the owner's business only.
    assert (await client.get(f"/api/media/{media_id}")).status_code == 404
    await _worker_still_works(client)


async def _job_failed_without_retrying(media_id: str) -> None:
    job = await eventually(
        lambda: OutboxJob.get_or_none(args=[media_id]),
        lambda job: job is not None and job.status == JobStatus.FAILED,
    )
    assert job is not None
    assert job.run_attempts == 1
    assert job.last_error


async def _worker_still_works(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(400, 300))
    assert (await settled(client, creator, media_id))["status"] == "ready"


@pytest.mark.usefixtures("worker")
async def test_a_second_run_of_the_job_changes_nothing(client: httpx.AsyncClient) -> None:
    from backend.media import processing
    from backend.settings import get_settings

    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(800, 600))
    first = await settled(client, creator, media_id)
    ready_at = (await Media.get(id=media_id)).ready_at

    await processing.make_thumbnails(get_settings(), (await Media.get(id=media_id)).id)

    again = await Media.get(id=media_id)
    assert again.ready_at == ready_at
    assert (await client.get(f"/api/media/{media_id}", headers=creator.auth)).json() == first
    assert await Notification.filter(recipient_id=creator.id, kind="media_ready").count() == 1


@pytest.mark.usefixtures("worker")
async def test_a_fan_uploading_is_refused(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    response = await upload(client, fan, images.jpeg(400, 300))
    assert response.status_code == 403
    assert not await Media.exists()
