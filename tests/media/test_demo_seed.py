"""The demo creators get pictures that go through the real thumbnail job, shown in one
free, published post each."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.demo.seed import DEMO_USERS, PICTURES_PER_CREATOR, seed_demo
from backend.media.models import Media, MediaStatus
from backend.posts.models import Post, PostPhoto, PostStatus
from tests.support.waiting import eventually

# The CLI publishes nothing itself: the sweeper (beat) hands the jobs to the worker.
pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("worker", "beat")]


async def test_demo_creators_get_thumbnailed_pictures_once() -> None:
    await seed_demo()
    await seed_demo()  # idempotent

    creators = await User.filter(role=Role.CREATOR)
    assert len(creators) == sum(demo.role == Role.CREATOR for demo in DEMO_USERS)
    for creator in creators:
        assert await Media.filter(owner_id=creator.id).count() == PICTURES_PER_CREATOR
    assert not await Media.filter(owner__role=Role.FAN).exists()
    await eventually(
        lambda: Media.filter(status=MediaStatus.READY).count(),
        lambda ready: ready == PICTURES_PER_CREATOR * len(creators),
        within=60,
    )

    for creator in creators:
        [post] = await Post.filter(author_id=creator.id)
        assert (post.status, post.price) == (PostStatus.PUBLISHED, 0)
        assert post.caption.startswith("Hello from ")
        assert await PostPhoto.filter(post_id=post.id).count() == PICTURES_PER_CREATOR
