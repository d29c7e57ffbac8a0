"""Serving thumbnails: content-addressed, cacheable for a year, originals never."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from backend.media.models import Media
from backend.settings import Settings
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import create_account

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


async def test_thumbnails_are_content_addressed_and_cached_for_a_year(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(1200, 900))
    media = await settled(client, creator, media_id)
    url = media["thumbnails"]["960"]["url"]
    digest, _, extension = url.removeprefix("/media/").partition(".")
    assert extension in {"webp", "jpg"}

    response = await client.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == digest
    assert response.headers["etag"] == f'"{digest}"'
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"

    revalidated = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == f'"{digest}"'
    several = await client.get(url, headers={"If-None-Match": f'"other", W/"{digest}"'})
    assert several.status_code == 304
    stale = await client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


async def test_unknown_names_are_404_in_the_error_shape(client: httpx.AsyncClient) -> None:
    for path in (
        "/media/" + "0" * 64 + ".webp",
        "/media/not-a-hash.webp",
        "/media/" + "a" * 64 + ".png",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


async def test_originals_are_never_served(client: httpx.AsyncClient, settings: Settings) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(client, creator, images.jpeg(600, 400))
    await settled(client, creator, media_id)
    media = await Media.get(id=media_id)

    original = (settings.media_root / media.original_key).read_bytes()
    for path in (
        f"/media/{media_id}",
        f"/media/{media.original_key}",
        f"/media/%2e%2e%2f{media.original_key.replace('/', '%2f')}",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
    # Outside /media/ a path is a page of the web app, never a stored file.
    page = await client.get(f"/{media.original_key}")
    assert page.content != original
    assert not page.headers.get("content-type", "").startswith("image/")
