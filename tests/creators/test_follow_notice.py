"""The follow notice: created by the worker through the outbox, at most once a day."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from backend.creators.models import Follow
from backend.creators.service import FOLLOW_RECEIVED, notify_follow
from backend.notifications.models import Notification
from backend.outbox.models import JobStatus, OutboxJob
from tests.creators.support import follow, unfollow
from tests.notifications.sse import open_stream
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def _follow_notices(creator: Account) -> int:
    return await Notification.filter(recipient_id=uuid.UUID(creator.id), kind="follow").count()


async def _all_jobs_done() -> bool:
    jobs = await OutboxJob.filter(task=FOLLOW_RECEIVED)
    return bool(jobs) and all(job.status == JobStatus.SUCCEEDED for job in jobs)


async def test_the_creator_sees_a_new_follower_live_and_in_the_list(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    fan = await create_account("fan", display_name="Grace Hopper")
    async with open_stream(client, creator.auth) as stream:
        assert await stream.block() == ["retry: 5000"]
        await follow(client, fan, creator.handle)
        pushed = await stream.notification(within=30)
    expected_follower = {
        "id": fan.id,
        "handle": fan.handle,
        "display_name": "Grace Hopper",
        "avatar_url": None,
    }
    assert pushed["kind"] == "follow"
    actor = {**expected_follower, "role": "fan"}
    assert pushed["data"] == {"follower": expected_follower, "actor": actor}
    listed = (await client.get("/api/notifications", headers=creator.auth)).json()["items"]
    assert listed == [pushed]
    unread = await client.get("/api/notifications/unread-count", headers=creator.auth)
    assert unread.json() == {"count": 1}
    fan_unread = await client.get("/api/notifications/unread-count", headers=fan.auth)
    assert fan_unread.json() == {"count": 0}


async def test_following_again_and_again_notifies_once(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    fan, other = await create_account("fan"), await create_account("fan")
    for _ in range(3):
        await follow(client, fan, creator.handle)
        await unfollow(client, fan, creator.handle)
    await follow(client, fan, creator.handle)
    await follow(client, other, creator.handle)
    await eventually(_all_jobs_done, within=30)
    assert await OutboxJob.filter(task=FOLLOW_RECEIVED).count() == 5
    notices = await Notification.filter(recipient_id=uuid.UUID(creator.id)).order_by("id")
    followers = sorted(str(notice.data["follower"]["id"]) for notice in notices)  # type: ignore[index]
    assert followers == sorted([fan.id, other.id])


async def _follow_row(fan: Account, creator: Account) -> Follow:
    """A follow row without its job (the session's worker may be running)."""
    return await Follow.create(fan_id=uuid.UUID(fan.id), creator_id=uuid.UUID(creator.id))


async def test_the_notice_is_kept_once_per_follower_per_utc_day() -> None:
    creator = await create_account("creator")
    fan = await create_account("fan")
    first = await _follow_row(fan, creator)
    await notify_follow(first.id)
    await notify_follow(first.id)  # the job ran twice
    await first.delete()
    second = await _follow_row(fan, creator)
    await notify_follow(second.id)  # unfollowed and followed again the same day
    assert await _follow_notices(creator) == 1

    second.created_at = second.created_at + timedelta(days=1)  # as if followed tomorrow
    await second.save(update_fields=["created_at"])
    await notify_follow(second.id)
    assert await _follow_notices(creator) == 2


async def test_no_notice_for_a_follow_undone_before_the_job_ran() -> None:
    creator = await create_account("creator")
    fan = await create_account("fan")
    undone = await _follow_row(fan, creator)
    await undone.delete()
    await notify_follow(undone.id)
    assert await _follow_notices(creator) == 0
