"""Uploading and waiting, as a client of the media API would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.support.accounts import Account
from tests.support.waiting import eventually


async def upload(
    client: httpx.AsyncClient,
    account: Account,
    data: bytes,
    *,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    return await client.post(
        "/api/media", files={"file": (filename, data, content_type)}, headers=account.auth
    )


async def upload_ok(client: httpx.AsyncClient, account: Account, data: bytes) -> str:
    response = await upload(client, account, data)
    assert response.status_code == 202, response.text
    media_id: str = response.json()["id"]
    return media_id


async def settled(
    client: httpx.AsyncClient, account: Account, media_id: str, *, within: float = 30
) -> dict[str, Any]:
    """The media once its job has finished (ready or failed), as its owner sees it."""

    async def probe() -> dict[str, Any]:
        response = await client.get(f"/api/media/{media_id}", headers=account.auth)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return await eventually(probe, lambda body: body["status"] != "processing", within=within)


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())
