"""A locked post's photos, uploaded and thumbnailed for real: a fan who has not unlocked it
cannot fetch them by any URL the API has ever shown anyone.

Every URL is collected from every answer the API gave: the creator's uploads before and
after locking, the draft, the published post, the unlocking fan's receipt and views, and the
other fan's and a visitor's views. The public ones no longer answer; the signed ones were
shown only to the creator and to the fan who paid, refuse any change, and expire within
the TTL (and a fifth of it), after which they refuse everyone.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from backend.media import signed
from backend.settings import Settings
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import Account, create_account
from tests.wallet.support import fund

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker", "beat")]

URL = re.compile(r"/media/[^\"'\s]+")


def urls_in(answer: Any) -> set[str]:
    return set(URL.findall(str(answer)))


async def ready_photo(client: httpx.AsyncClient, creator: Account, seed: int) -> dict[str, Any]:
    media_id = await upload_ok(client, creator, images.jpeg(1200 + seed, 900))
    body: dict[str, Any] = await settled(client, creator, media_id)
    assert body["status"] == "ready", body
    return body


async def test_no_url_ever_shown_lets_a_fan_who_did_not_pay_fetch_a_locked_photo(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    creator = await create_account("creator")
    payer, other = await create_account("fan"), await create_account("fan")
    await fund(payer, 50)
    shown: set[str] = set()
    photos = [await ready_photo(client, creator, seed) for seed in range(2)]
    public = urls_in(photos)
    shown |= public

    made = await client.post(
        "/api/posts",
        json={
            "caption": "Locked.\nSecond line",
            "media_ids": [p["id"] for p in photos],
            "price": 20,
        },
        headers=creator.auth,
    )
    assert made.status_code == 201, made.text
    post_id = made.json()["id"]
    published = await client.post(f"/api/posts/{post_id}/publish", headers=creator.auth)
    paid = await client.post(f"/api/posts/{post_id}/unlock", json={"price": 20}, headers=payer.auth)
    assert paid.status_code == 201, paid.text
    answers = [made.json(), published.json(), paid.json()]
    for viewer in (creator, payer):
        answers.append((await client.get(f"/api/posts/{post_id}", headers=viewer.auth)).json())
        page = await client.get(f"/api/creators/{creator.handle}/posts", headers=viewer.auth)
        answers.append(page.json())
    for photo in photos:
        answers.append((await client.get(f"/api/media/{photo['id']}", headers=creator.auth)).json())
    unpaid = []
    for headers in (other.auth, {}):
        unpaid.append((await client.get(f"/api/posts/{post_id}", headers=headers)).json())
        unpaid.append(
            (await client.get(f"/api/creators/{creator.handle}/posts", headers=headers)).json()
        )
        unpaid.append(
            (await client.get(f"/api/creators/{creator.handle}/media", headers=headers)).json()
        )
    for photo in photos:
        hidden = await client.get(f"/api/media/{photo['id']}", headers=other.auth)
        assert hidden.status_code == 404
    shown |= urls_in(answers) | urls_in(unpaid)

    # What the fan who did not pay was shown: the blurred preview, nothing else.
    previews = urls_in(unpaid)
    assert previews, unpaid
    assert not any(url.startswith("/media/protected/") for url in previews)
    assert not previews & public
    for preview in previews:
        assert (await client.get(preview)).status_code == 200

    signed_urls = {url for url in shown if url.startswith("/media/protected/")}
    assert len(signed_urls) >= 4, shown  # 2 photos x 2 sizes, shown to creator and payer
    for url in shown - signed_urls - previews:
        assert (await client.get(url, headers=other.auth)).status_code == 404, url
    for url in signed_urls:
        await _refuses_every_change_and_expires(client, settings, url, other)


async def _refuses_every_change_and_expires(
    client: httpx.AsyncClient, settings: Settings, url: str, other: Account
) -> None:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    expires, signature = int(query["expires"]), query["signature"]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    for changed in (
        f"{parts.path}?expires={expires}&signature={flipped}",
        f"{parts.path}?expires={expires + 3600}&signature={signature}",
        f"{parts.path}",
        f"/media/protected/{'0' * 64}.webp?expires={expires}&signature={signature}",
    ):
        refused = await client.get(changed, headers=other.auth)
        assert refused.status_code in (403, 404), (changed, refused.status_code)
        assert "error" in refused.json()
    ttl = settings.media_signed_url_ttl
    assert expires <= time.time() + ttl + ttl // 5 + 1
    key = "protected/" + parts.path.removeprefix("/media/protected/")
    with pytest.raises(signed.SignatureExpired):
        signed.verify(settings, key, str(expires), signature, now=expires)
