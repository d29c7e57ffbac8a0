"""Unlocking a locked post: the fan pays its price once, to the creator, and sees the photos;
everyone else sees the first caption line, the photo count and the blurred preview."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tortoise import timezone

from backend.media.models import Media
from backend.media.storage import protected_twin
from backend.notifications.models import Notification
from backend.posts.models import Post, PostPhoto, PostStatus, PostUnlock
from backend.reconcile import reconcile_all
from backend.wallet.models import Entry, Movement
from tests.posts.support import photo
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import assert_ledger_consistent, balance, fund, jobs_finished

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]

CAPTION = "Behind the scenes.\nThe whole shoot, in order."


@pytest.fixture
def corrupts_ledger() -> None:
    """Requested by the test that breaks an unlock on purpose (to see reconciliation)."""


@pytest.fixture(autouse=True)
async def _ledger_stays_consistent(
    request: pytest.FixtureRequest, worker: Process, beat: Process
) -> AsyncIterator[None]:
    yield
    await jobs_finished()
    if "corrupts_ledger" not in request.fixturenames:
        await assert_ledger_consistent()


async def locked_post(creator: Account, price: int = 20, photos: int = 2) -> str:
    """A published post locked at `price`, made directly, its photos already protected (their
    files are the media tests' business)."""
    post = await Post.create(
        id=uuid.uuid4(),
        author_id=uuid.UUID(creator.id),
        caption=CAPTION,
        status=PostStatus.PUBLISHED,
        price=price,
        published_at=timezone.now(),
    )
    for position in range(photos):
        media_id = await photo(creator)
        if price > 0:
            media = await Media.get(id=media_id)
            media.derivatives = {
                size: {**entry, "key": protected_twin(str(entry["key"]))}
                for size, entry in media.derivatives.items()
            }
            media.protected = True
            await media.save(update_fields=["derivatives", "protected"])
        await PostPhoto.create(post_id=post.id, media_id=media_id, position=position)
    return str(post.id)


async def unlock(
    client: httpx.AsyncClient,
    fan: Account,
    post_id: str,
    price: int = 20,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/posts/{post_id}/unlock",
        json={"price": price},
        headers={**fan.auth, **(headers or {})},
    )


async def test_a_locked_post_shows_only_its_first_line_and_photo_count(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    post_id = await locked_post(creator, photos=3)

    for headers in (fan.auth, {}):  # a fan, and a signed-out visitor
        shown = (await client.get(f"/api/posts/{post_id}", headers=headers)).json()
        assert shown["locked"] is True
        assert (shown["caption"], shown["photos"], shown["photo_count"]) == (
            "Behind the scenes.",
            [],
            3,
        )
        assert (shown["price"], shown["unlocked_by_me"]) == (20, False)
    own = (await client.get(f"/api/posts/{post_id}", headers=creator.auth)).json()
    assert (own["locked"], own["caption"], len(own["photos"])) == (False, CAPTION, 3)
    listed = (await client.get(f"/api/creators/{creator.handle}/posts")).json()["items"]
    assert [(item["id"], item["locked"], item["photos"]) for item in listed] == [
        (post_id, True, [])
    ]


async def test_unlocking_moves_the_price_to_the_creator_once_and_shows_the_photos(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 50)
    post_id = await locked_post(creator, price=20)

    first = await unlock(client, fan, post_id)
    again = await unlock(client, fan, post_id)

    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["price"], body["balance"]) == (20, 30)
    assert body["post"]["locked"] is False
    assert body["post"]["unlocked_by_me"] is True
    assert (body["post"]["caption"], len(body["post"]["photos"])) == (CAPTION, 2)
    assert again.status_code == 200
    assert again.json() == body
    assert (await balance(fan), await balance(creator)) == (30, 20)
    shown = (await client.get(f"/api/posts/{post_id}", headers=fan.auth)).json()
    assert (shown["locked"], len(shown["photos"])) == (False, 2)

    [sent, _bought] = (await client.get("/api/wallet/entries", headers=fan.auth)).json()["items"]
    assert (sent["amount"], sent["kind"], sent["reference"]) == (-20, "unlock_sent", post_id)
    [received] = (await client.get("/api/wallet/entries", headers=creator.auth)).json()["items"]
    assert (received["amount"], received["kind"]) == (20, "unlock_received")
    earnings = (await client.get("/api/earnings", headers=creator.auth)).json()
    assert earnings["lifetime_tokens"] == 20


async def test_the_creator_is_told_who_unlocked_which_post_for_how_much(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 20)
    post_id = await locked_post(creator, price=20)

    assert (await unlock(client, fan, post_id)).status_code == 201

    notice = await eventually(
        lambda: Notification.filter(recipient_id=creator.id, kind="post_unlocked").first()
    )
    assert notice is not None
    data: dict[str, Any] = notice.data
    assert data["post_id"] == post_id
    assert data["price"] == 20
    actor = data["actor"]
    assert (actor["id"], actor["handle"], actor["role"]) == (fan.id, fan.handle, "fan")
    assert set(actor) == {"id", "handle", "display_name", "avatar_url", "role"}


async def test_20_concurrent_unlocks_by_one_fan_charge_once(client: httpx.AsyncClient) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 100)
    post_id = await locked_post(creator, price=20)

    replies = await asyncio.gather(*(unlock(client, fan, post_id) for _ in range(20)))

    assert Counter(reply.status_code for reply in replies) == Counter({201: 1, 200: 19})
    assert (await balance(fan), await balance(creator)) == (80, 20)
    assert await PostUnlock.filter(post_id=post_id).count() == 1
    assert await Movement.filter(key=f"unlock:{post_id}:{fan.id}").count() == 1


async def test_50_fans_of_whom_30_can_afford_it_make_30_unlocks(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(50)]
    for fan in fans[:30]:
        await fund(fan, 20)
    for fan in fans[30:]:
        await fund(fan, 19)
    post_id = await locked_post(creator, price=20)

    replies = await asyncio.gather(*(unlock(client, fan, post_id) for fan in fans))

    assert [reply.status_code for reply in replies] == [201] * 30 + [409] * 20
    assert {reply.json()["error"]["code"] for reply in replies[30:]} == {"insufficient_balance"}
    assert [await balance(fan) for fan in fans] == [0] * 30 + [19] * 20
    assert await balance(creator) == 600
    assert await PostUnlock.filter(post_id=post_id).count() == 30


async def test_a_price_changed_since_the_fan_saw_it_charges_nothing(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 100)
    post_id = await locked_post(creator, price=20)
    changed = await client.patch(f"/api/posts/{post_id}", json={"price": 30}, headers=creator.auth)
    assert changed.status_code == 200, changed.text

    stale = await unlock(client, fan, post_id, price=20)

    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "price_changed"
    assert stale.json()["error"]["details"] == {"price": 30}
    assert await balance(fan) == 100
    current = await unlock(client, fan, post_id, price=30)
    assert current.status_code == 201
    assert current.json()["balance"] == 70


async def test_a_price_change_racing_unlocks_never_charges_a_price_not_named(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(10)]
    for fan in fans:
        await fund(fan, 100)
    post_id = await locked_post(creator, price=20)

    replies = await asyncio.gather(
        client.patch(f"/api/posts/{post_id}", json={"price": 25}, headers=creator.auth),
        *(unlock(client, fan, post_id, price=20) for fan in fans),
    )

    assert replies[0].status_code == 200
    paid = [fan for fan, reply in zip(fans, replies[1:], strict=True) if reply.status_code == 201]
    refused = [reply for reply in replies[1:] if reply.status_code != 201]
    assert {reply.json()["error"]["code"] for reply in refused} <= {"price_changed"}
    assert sorted([await balance(fan) for fan in paid]) == [80] * len(paid)
    assert await balance(creator) == 20 * len(paid)
    assert {made.price for made in await PostUnlock.filter(post_id=post_id)} <= {20}


async def test_a_replayed_idempotency_key_answers_the_first_unlock(
    client: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 100)
    post_id = await locked_post(creator, price=20)
    key = {"Idempotency-Key": f"unlock-{uuid.uuid4()}"}

    first = await unlock(client, fan, post_id, headers=key)
    replay = await unlock(client, fan, post_id, headers=key)

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert await balance(fan) == 80


async def test_what_cannot_be_unlocked(client: httpx.AsyncClient) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 100)
    post_id = await locked_post(creator, price=20)
    free = await locked_post(creator, price=0)
    draft = await Post.create(
        id=uuid.uuid4(), author_id=uuid.UUID(creator.id), caption="", price=20
    )

    cases = {
        "own post": (await unlock(client, creator, post_id), 422),
        "free post": (await unlock(client, fan, free), 422),
        "draft": (await unlock(client, fan, str(draft.id)), 404),
        "unknown": (await unlock(client, fan, str(uuid.uuid4())), 404),
        "no price": (
            await client.post(f"/api/posts/{post_id}/unlock", json={}, headers=fan.auth),
            422,
        ),
        "negative": (await unlock(client, fan, post_id, price=-5), 422),
        "signed out": (await client.post(f"/api/posts/{post_id}/unlock", json={"price": 20}), 401),
    }
    for name, (reply, status) in cases.items():
        assert reply.status_code == status, (name, reply.text)
        assert "error" in reply.json(), name
    assert await balance(fan) == 100


async def test_a_published_free_post_cannot_become_locked(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    free = await locked_post(creator, price=0)

    response = await client.patch(f"/api/posts/{free}", json={"price": 10}, headers=creator.auth)

    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "price"
    assert (await Post.get(id=free)).price == 0


async def test_deleting_an_unlocked_post_keeps_the_fans_payment_in_the_ledger(
    client: httpx.AsyncClient,
) -> None:
    """What fans keep: the wallet entry of what they paid (the ledger never forgets), not
    the photos, which go with the post for everyone."""
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 50)
    post_id = await locked_post(creator, price=20)
    assert (await unlock(client, fan, post_id)).status_code == 201

    deleted = await client.delete(f"/api/posts/{post_id}", headers=creator.auth)

    assert deleted.status_code == 204
    assert (await client.get(f"/api/posts/{post_id}", headers=fan.auth)).status_code == 404
    assert await PostUnlock.filter(post_id=post_id).count() == 0
    assert (await balance(fan), await balance(creator)) == (30, 20)
    entries = await Entry.filter(reference=post_id)
    assert sorted(entry.kind for entry in entries) == ["unlock_received", "unlock_sent"]
    [sent, _bought] = (await client.get("/api/wallet/entries", headers=fan.auth)).json()["items"]
    assert (sent["kind"], sent["amount"]) == ("unlock_sent", -20)


async def test_reconcile_finds_an_unlock_its_movement_does_not_match(
    client: httpx.AsyncClient, corrupts_ledger: None
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 50)
    post_id = await locked_post(creator, price=20)
    assert (await unlock(client, fan, post_id)).status_code == 201
    await assert_ledger_consistent()

    await PostUnlock.filter(post_id=post_id).update(price=15)

    report = await reconcile_all()
    assert [(v.check, v.subject) for v in report.violations] == [
        ("unlock_amount", f"unlock {(await PostUnlock.get(post_id=post_id)).id}")
    ]
    assert report.counts["unlocks"] == 1
