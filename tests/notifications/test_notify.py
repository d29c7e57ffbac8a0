from __future__ import annotations

import asyncio
import json
import uuid

from redis.asyncio import Redis

from backend.notifications import live
from backend.notifications.models import Notification
from backend.notifications.service import notify
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


async def test_notify_pushes_to_the_users_channel(
    database: str, redis: Redis, settings: Settings
) -> None:
    account = await create_account("creator")
    recipient = uuid.UUID(account.id)
    pubsub = redis.pubsub()
    await pubsub.subscribe(live.channel(settings, recipient))
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    stored = await notify(recipient, "follow", {"follower": "grace"})
    assert stored is not None
    message = None
    for _ in range(20):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message:
            break
        await asyncio.sleep(0.05)
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    assert message is not None
    payload = json.loads(message["data"])
    assert payload["id"] == stored.id
    assert payload["kind"] == "follow"
    assert payload["data"] == {"follower": "grace"}
