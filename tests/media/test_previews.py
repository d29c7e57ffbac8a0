"""The blurred preview of locked posts' photos, made by the real worker: for new uploads,
and by the preview job for media made before previews were."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.media import service
from backend.media.models import BLUR, Media
from backend.media.schemas import preview_of
from backend.media.storage import IMMUTABLE
from tests.media import images
from tests.media.previews import detail, difference, shrunk_and_scaled_back
from tests.media.support import settled, upload_ok
from tests.support.accounts import create_account
from tests.support.waiting import eventually

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


async def _ready(client: httpx.AsyncClient, data: bytes) -> Media:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, data)
    body = await settled(client, creator, media_id)
    assert body["status"] == "ready", body
    assert set(body["thumbnails"]) == {"320", "960"}  # the preview is not a thumbnail
    return await Media.get(id=media_id)


async def _assert_reveals_nothing(client: httpx.AsyncClient, media: Media, data: bytes) -> None:
    preview = preview_of(media)
    assert preview is not None
    assert preview.content_type == "image/webp"
    assert (preview.width, preview.height) == (320, 240)
    served = await client.get(preview.url)  # public: no credentials
    assert served.status_code == 200
    assert served.headers["cache-control"] == IMMUTABLE
    blurred = images.open_image(served.content)
    assert blurred.format == "WEBP"
    assert blurred.size == (320, 240)

    original = images.open_image(data)
    thumbnail_url = f"/media/{str(media.derivatives['320']['key']).rsplit('/', 1)[1]}"
    thumbnail = images.open_image((await client.get(thumbnail_url)).content)
    # What a 16 px version of the original shows, and nothing more...
    assert difference(blurred, shrunk_and_scaled_back(original, blurred.size)) < 16
    assert detail(blurred) < 3
    # ...while the thumbnail shows the stripes.
    assert detail(thumbnail) > 30
    assert difference(blurred, thumbnail) > 40


async def test_a_new_upload_gets_a_blurred_preview(client: httpx.AsyncClient) -> None:
    data = images.secret_photo()
    media = await _ready(client, data)
    assert str(media.derivatives[BLUR]["key"]).startswith("derivatives/")
    await _assert_reveals_nothing(client, media, data)


async def test_older_media_get_their_preview_from_the_job(client: httpx.AsyncClient) -> None:
    data = images.secret_photo()
    media = await _ready(client, data)
    # As it was before previews: no "blur" entry.
    older = {size: entry for size, entry in media.derivatives.items() if size != BLUR}
    await Media.filter(id=media.id).update(derivatives=older)
    assert preview_of(await Media.get(id=media.id)) is None

    assert await service.queue_missing_previews(batch_size=1) == 1
    done = await eventually(
        lambda: Media.get(id=media.id), lambda row: BLUR in row.derivatives, within=30
    )
    assert {size: done.derivatives[size] for size in older} == older  # thumbnails untouched
    await _assert_reveals_nothing(client, done, data)
    assert await service.queue_missing_previews() == 0  # nothing left to do


async def test_media_that_are_not_ready_get_no_preview_job(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    await Media.create(
        owner_id=uuid.UUID(creator.id),
        content_type="image/jpeg",
        byte_size=100,
        original_key=f"originals/{uuid.uuid4()}",
    )
    assert await service.queue_missing_previews() == 0
