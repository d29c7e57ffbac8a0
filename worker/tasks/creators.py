"""Creator jobs: telling a creator about a new follower (on the notifications queue)."""

from __future__ import annotations

from backend.creators import service
from worker.jobs import job


@job(service.FOLLOW_RECEIVED)
async def follow_received(follow_id: int) -> None:
    await service.notify_follow(follow_id)
