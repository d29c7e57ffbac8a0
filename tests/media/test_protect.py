"""Protecting media (a locked post's photos) on local files, with the real worker: the
thumbnails leave their public URLs for private keys behind signed URLs."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from typing import Any

import httpx
import pytest

from backend.media import service, signed
from backend.media.models import BLUR, Media
from backend.media.schemas import MediaOut, preview_of
from backend.media.storage import public_twin
from backend.settings import Settings
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker")]


async def _ready(
    client: httpx.AsyncClient, data: bytes, creator: Account | None = None
) -> tuple[Account, dict[str, Any]]:
    creator = creator or await create_account("creator")
    media_id = await upload_ok(client, creator, data)
    body = await settled(client, creator, media_id)
    assert body["status"] == "ready", body
    return creator, body


def _keys(media: Media) -> dict[str, str]:
    return {size: str(entry["key"]) for size, entry in media.derivatives.items()}


async def test_protecting_moves_the_thumbnails_behind_signed_urls(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator, public = await _ready(client, images.jpeg(1200, 900))
    media_id = uuid.UUID(public["id"])
    before = _keys(await Media.get(id=media_id))

    await service.protect(settings, [media_id])

    row = await Media.get(id=media_id)
    assert row.protected
    after = _keys(row)
    assert after[BLUR] == before[BLUR]  # the preview reveals nothing: it stays public
    for size in ("320", "960"):
        assert after[size] == "protected/" + before[size].removeprefix("derivatives/")
        assert (settings.media_root / after[size]).is_file()
        assert not (settings.media_root / before[size]).exists()
    for thumbnail in public["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 404  # the old public URL
    preview = preview_of(row)
    assert preview is not None
    assert (await client.get(preview.url)).status_code == 200

    # The owner still sees it, with signed URLs answered privately.
    owned = await client.get(f"/api/media/{media_id}", headers=creator.auth)
    assert owned.status_code == 200
    assert owned.json()["thumbnails"] == MediaOut.of(row).model_dump(mode="json")["thumbnails"]
    for size, thumbnail in owned.json()["thumbnails"].items():
        url: str = thumbnail["url"]
        assert url.startswith("/media/protected/")
        assert "expires=" in url
        assert "signature=" in url
        served = await client.get(url)  # no credentials: the signature is the permission
        assert served.status_code == 200, served.text
        assert served.headers["content-type"] == thumbnail["content_type"]
        cache_control = served.headers["cache-control"]
        assert cache_control.startswith("private, max-age=")
        ttl = settings.media_signed_url_ttl
        assert ttl - 5 <= int(cache_control.rpartition("=")[2]) <= ttl + ttl // 5
        name = url.removeprefix("/media/protected/").partition("?")[0]
        assert hashlib.sha256(served.content).hexdigest() == name.partition(".")[0]
        assert images.open_image(served.content).size == (
            thumbnail["width"],
            thumbnail["height"],
        )
        assert after[size].endswith(name)


async def test_protecting_is_idempotent_concurrent_and_finishes_after_a_crash(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, public = await _ready(client, images.png(900, 700))
    media_id = uuid.UUID(public["id"])
    before = _keys(await Media.get(id=media_id))

    await asyncio.gather(*(service.protect(settings, [media_id]) for _ in range(3)))
    protected = _keys(await Media.get(id=media_id))
    await service.protect(settings, [media_id, media_id])
    assert _keys(await Media.get(id=media_id)) == protected

    # A crash after the row flipped but before the public file went: a run finishes it.
    leftover = settings.media_root / before["320"]
    leftover.write_bytes((settings.media_root / protected["320"]).read_bytes())
    await service.protect(settings, [media_id])
    assert not leftover.exists()
    assert (settings.media_root / protected["320"]).is_file()

    # Unknown ids are skipped.
    await service.protect(settings, [uuid.uuid4()])


async def test_a_shared_file_stays_public_while_unprotected_media_uses_it(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    picture = images.jpeg(800, 600)
    first_owner, first = await _ready(client, picture)
    _, second = await _ready(client, picture)
    assert first["thumbnails"] == second["thumbnails"]  # the same content-addressed files

    await service.protect(settings, [uuid.UUID(first["id"])])
    for thumbnail in second["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 200
    owned = await client.get(f"/api/media/{first['id']}", headers=first_owner.auth)
    for thumbnail in owned.json()["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 200

    await service.protect(settings, [uuid.UUID(second["id"])])
    for thumbnail in second["thumbnails"].values():
        assert (await client.get(thumbnail["url"])).status_code == 404

    # Deleting one protected media item keeps the private file the other still uses.
    response = await client.delete(f"/api/media/{first['id']}", headers=first_owner.auth)
    assert response.status_code == 204
    second_row = await Media.get(id=second["id"])
    for size, key in _keys(second_row).items():
        assert (settings.media_root / key).is_file(), size


async def test_protecting_media_without_a_preview_has_the_job_make_one(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, public = await _ready(client, images.secret_photo())
    media_id = uuid.UUID(public["id"])
    row = await Media.get(id=media_id)
    older = {size: entry for size, entry in row.derivatives.items() if size != BLUR}
    await Media.filter(id=media_id).update(derivatives=older)

    await service.protect(settings, [media_id])  # the job reads the private thumbnail

    done = await eventually(
        lambda: Media.get(id=media_id), lambda found: BLUR in found.derivatives, within=30
    )
    assert str(done.derivatives[BLUR]["key"]).startswith("derivatives/")
    assert done.protected


async def test_media_protected_while_processing_get_private_thumbnails(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    media_id = uuid.UUID(await upload_ok(client, creator, images.jpeg(610, 410)))
    await service.protect(settings, [media_id])  # whether the job finished or not
    body = await settled(client, creator, str(media_id))
    assert body["status"] == "ready"
    row = await Media.get(id=media_id)
    assert row.protected
    for size, key in _keys(row).items():
        assert key.startswith("derivatives/" if size == BLUR else "protected/"), size
        assert (settings.media_root / key).is_file()
        if size != BLUR:  # never written publicly
            assert not (settings.media_root / public_twin(key)).exists(), size


def _signed_parts(url: str) -> tuple[str, dict[str, str]]:
    path, _, query = url.partition("?")
    return path, dict(part.split("=", 1) for part in query.split("&"))


async def _protected_thumbnail(
    client: httpx.AsyncClient, settings: Settings, data: bytes
) -> tuple[Media, str]:
    creator, public = await _ready(client, data)
    await service.protect(settings, [uuid.UUID(public["id"])])
    owned = await client.get(f"/api/media/{public['id']}", headers=creator.auth)
    url: str = owned.json()["thumbnails"]["320"]["url"]
    return await Media.get(id=public["id"]), url


def _assert_refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"]
    assert not response.headers.get("cache-control", "").startswith("private, max-age")


async def test_signed_urls_refuse_anything_but_a_valid_signature(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    media, url = await _protected_thumbnail(client, settings, images.jpeg(800, 600))
    other_media, other_url = await _protected_thumbnail(client, settings, images.png(640, 480))
    path, query = _signed_parts(url)
    assert (await client.get(url)).status_code == 200

    # Expired: signed properly, but its time is up.
    key = str(media.derivatives["320"]["key"])
    expired = signed.signed_url(settings, key, now=1_000_000)
    _assert_refused(await client.get(expired), "signature_expired")
    # Tampered: the signature, or the expiry pushed later.
    flipped = query["signature"][:-1] + ("0" if query["signature"][-1] != "0" else "1")
    _assert_refused(
        await client.get(path, params={**query, "signature": flipped}), "invalid_signature"
    )
    later = str(int(query["expires"]) + 3600)
    _assert_refused(await client.get(path, params={**query, "expires": later}), "invalid_signature")
    # Missing parts.
    _assert_refused(await client.get(path), "invalid_signature")
    _assert_refused(
        await client.get(path, params={"expires": query["expires"]}), "invalid_signature"
    )
    _assert_refused(
        await client.get(path, params={**query, "expires": "soon"}), "invalid_signature"
    )
    # Signed for another file.
    other_path, _ = _signed_parts(other_url)
    _assert_refused(await client.get(other_path, params=query), "invalid_signature")
    # Signed with another deployment's key.
    foreign = settings.model_copy(
        update={"media_signing_key": type(settings.media_signing_key)("another-key-" + "x" * 40)}
    )
    _assert_refused(await client.get(signed.signed_url(foreign, key)), "invalid_signature")

    # An unknown file, signed properly, is a 404; so is a name that is no file's.
    missing = signed.signed_url(settings, "protected/" + "0" * 64 + ".webp")
    gone = await client.get(missing)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found"
    assert (await client.get("/media/protected/not-a-file.webp", params=query)).status_code == 404
    assert other_media.protected


async def test_the_public_route_never_serves_protected_files(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    media, url = await _protected_thumbnail(client, settings, images.jpeg(700, 500))
    name = url.removeprefix("/media/protected/").partition("?")[0]
    assert (settings.media_root / "protected" / name).is_file()
    for path in (
        f"/media/{name}",
        f"/media/protected%2F{name}",
        f"/media/%2e%2e%2fprotected%2f{name}",
        f"/media/protected/{name}",  # without a signature
    ):
        response = await client.get(path)
        assert response.status_code in {403, 404}, path
        assert not response.headers.get("content-type", "").startswith("image/"), path
    assert media.protected
