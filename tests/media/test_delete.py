"""Deleting media: the owner only, and the files go with the row."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from backend.media.models import Media
from backend.settings import Settings
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import create_account

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


def _files_of(settings: Settings, media: Media) -> list[Path]:
    keys = [media.original_key] + [str(entry["key"]) for entry in media.derivatives.values()]
    return [settings.media_root / key for key in keys]


async def test_deleting_removes_the_row_and_the_files(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(1200, 900))
    ready = await settled(client, creator, media_id)
    files = _files_of(settings, await Media.get(id=media_id))
    assert len(files) == 4  # the original, two thumbnails and the blurred preview
    assert all(path.is_file() for path in files)

    response = await client.delete(f"/api/media/{media_id}", headers=creator.auth)
    assert response.status_code == 204
    assert not await Media.filter(id=media_id).exists()
    assert not any(path.exists() for path in files)
    assert (await client.get(f"/api/media/{media_id}", headers=creator.auth)).status_code == 404
    for thumbnail in ready["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 404
    again = await client.delete(f"/api/media/{media_id}", headers=creator.auth)
    assert again.status_code == 404


async def test_only_the_owner_may_delete(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(300, 200))
    await settled(client, creator, media_id)

    other_creator = await create_account("creator")
    fan = await create_account("fan")
    for account in (other_creator, fan):
        response = await client.delete(f"/api/media/{media_id}", headers=account.auth)
        assert response.status_code == 403
    assert (await client.delete(f"/api/media/{media_id}")).status_code == 401
    assert await Media.filter(id=media_id).exists()


async def test_files_shared_with_other_media_are_kept(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    other = await create_account("creator")
    picture = images.jpeg(800, 600)
    first = await upload_ok(client, creator, picture)
    second = await upload_ok(client, other, picture)
    first_ready = await settled(client, creator, first)
    second_ready = await settled(client, other, second)
    assert first_ready["thumbnails"] == second_ready["thumbnails"]  # the same pixels

    assert (await client.delete(f"/api/media/{first}", headers=creator.auth)).status_code == 204
    for thumbnail in second_ready["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 200
    second_original = (await Media.get(id=second)).original_key
    assert (settings.media_root / second_original).is_file()

    assert (await client.delete(f"/api/media/{second}", headers=other.auth)).status_code == 204
    for thumbnail in second_ready["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 404


async def test_media_still_processing_can_be_deleted(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(300, 200))
    original = settings.media_root / (await Media.get(id=media_id)).original_key
    response = await client.delete(f"/api/media/{media_id}", headers=creator.auth)
    assert response.status_code == 204
    assert not original.exists()
    assert not await Media.filter(id=media_id).exists()
