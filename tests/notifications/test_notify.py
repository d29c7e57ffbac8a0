from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from backend.notifications import live
from backend.notifications.models import Notification
from backend.notifications.service import notify, notify_with
from backend.outbox.transaction import transaction
from backend.settings import Settings
from tests.support.accounts import create_account


async def test_notify_stores_once_per_dedupe_key(database: str, redis: Redis) -> None:
    account = await create_account("creator")
    recipient = uuid.UUID(account.id)
    key = f"test:{uuid.uuid4().hex}"
    first = await notify(recipient, "follow", {"follower": "ada"}, dedupe_key=key)
    second = await notify(recipient, "follow", {"follower": "ada"}, dedupe_key=key)
    assert first is not None
    assert second is None
    assert await Notification.filter(recipient_id=recipient).count() == 1
    # Without a key every call is a new notice.
    await notify(recipient, "tip", {"amount": 5})
    await notify(recipient, "tip", {"amount": 5})
    assert await Notification.filter(recipient_id=recipient, kind="tip").count() == 2


@asynccontextmanager
async def listening(
    redis: Redis, settings: Settings, role: str = "fan"
) -> AsyncIterator[tuple[uuid.UUID, PubSub]]:
    """A new user, and a subscription to their live channel."""
    account = await create_account(role)
    recipient = uuid.UUID(account.id)
    pubsub = redis.pubsub()
    await pubsub.subscribe(live.channel(settings, recipient))
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    try:
        yield recipient, pubsub
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _next_message(pubsub: PubSub, within: float = 2.0) -> dict[str, Any] | None:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if message:
            return json.loads(message["data"])  # type: ignore[no-any-return]
    return None


async def test_notify_pushes_to_the_users_channel(
    database: str, redis: Redis, settings: Settings
) -> None:
    async with listening(redis, settings, "creator") as (recipient, pubsub):
        stored = await notify(recipient, "follow", {"follower": "grace"})
        assert stored is not None
        payload = await _next_message(pubsub, within=10)
    assert payload is not None
    assert payload["id"] == stored.id
    assert payload["kind"] == "follow"
    assert payload["data"] == {"follower": "grace"}


async def test_a_notice_stored_in_a_transaction_is_pushed_once_committed(
    database: str, redis: Redis, settings: Settings
) -> None:
    key = f"test:{uuid.uuid4().hex}"
    async with listening(redis, settings) as (recipient, pubsub):
        async with transaction() as tx:
            await notify_with(tx, recipient, "purchase", {"tokens": 5}, dedupe_key=key)
            assert await _next_message(pubsub, within=0.3) is None  # not before the commit
            # A second notice with the same key is nothing, and leaves the transaction usable.
            await notify_with(tx, recipient, "purchase", {"tokens": 5}, dedupe_key=key)
        pushed = await _next_message(pubsub)
    [stored] = await Notification.filter(recipient_id=recipient)
    assert (stored.kind, stored.data, stored.dedupe_key) == ("purchase", {"tokens": 5}, key)
    assert pushed is not None
    assert (pushed["id"], pushed["kind"], pushed["data"]) == (stored.id, "purchase", {"tokens": 5})


async def test_a_notice_in_a_rolled_back_transaction_is_neither_stored_nor_pushed(
    database: str, redis: Redis, settings: Settings
) -> None:

    async def failed_credit(recipient: uuid.UUID) -> None:
        async with transaction() as tx:
            await notify_with(tx, recipient, "purchase", {"tokens": 5}, dedupe_key="rolled-back")
            raise RuntimeError("the credit failed")

    async with listening(redis, settings) as (recipient, pubsub):
        with pytest.raises(RuntimeError):
            await failed_credit(recipient)
        assert await _next_message(pubsub, within=0.5) is None
    assert not await Notification.filter(recipient_id=recipient).exists()
