"""Post jobs: telling a creator that a fan unlocked a post (on the notifications queue)."""

from __future__ import annotations

import uuid

from backend.posts import unlocks
from worker.jobs import job


@job(unlocks.NOTIFY_POST_UNLOCKED)
async def post_unlocked(unlock_id: str) -> None:
    await unlocks.post_unlocked(uuid.UUID(unlock_id))
