"""The migration that makes every ready media item a one-photo published post, applied to
rows made before it (the session's database already ran it, on no rows)."""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from tortoise import connections

from backend.media.models import Media, MediaStatus
from backend.posts.models import Post, PostPhoto, PostStatus
from tests.posts.support import draft, photo
from tests.support.accounts import create_account
from tests.support.cli import base_env, digis

pytestmark = pytest.mark.usefixtures("database")
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "models"
UPLOADED = datetime(2025, 6, 1, 12, 30, tzinfo=UTC)


def _migration() -> ModuleType:
    (path,) = MIGRATIONS.glob("*_backfill_media_posts.py")
    spec = importlib.util.spec_from_file_location("backfill_media_posts", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _apply() -> None:
    connection = connections.get("default")
    await connection.execute_script(await _migration().upgrade(connection))


async def test_ready_media_become_one_photo_published_posts_once(
    client: httpx.AsyncClient,
) -> None:
    creator, other = await create_account("creator"), await create_account("creator")
    old = await photo(creator)
    await Media.filter(id=uuid.UUID(old)).update(created_at=UPLOADED)
    in_a_draft = await photo(creator)
    await draft(client, creator, [in_a_draft], "already posted")
    processing = await photo(creator, MediaStatus.PROCESSING)
    failed = await photo(creator, MediaStatus.FAILED)

    await _apply()

    post = await Post.get(id=uuid.UUID(old))  # a backfilled post takes its media's id
    assert post.author_id == uuid.UUID(creator.id)
    assert post.status == PostStatus.PUBLISHED
    assert (post.caption, post.like_count) == ("", 0)
    assert post.published_at == UPLOADED == post.created_at
    photos = await PostPhoto.filter(post_id=post.id).values_list("media_id", "position")
    assert photos == [(uuid.UUID(old), 0)]
    for media_id in (in_a_draft, processing, failed):
        assert not await Post.filter(id=uuid.UUID(media_id)).exists()
    assert await Post.all().count() == 2
    assert await PostPhoto.filter(media_id=uuid.UUID(in_a_draft)).count() == 1

    seen = await client.get(f"/api/posts/{old}", headers=other.auth)
    assert seen.status_code == 200
    assert [item["media_id"] for item in seen.json()["photos"]] == [old]

    # Again (a re-run, or media that became ready since): only what is missing is added.
    await Media.filter(id=uuid.UUID(processing)).update(status=MediaStatus.READY)
    await _apply()
    await _apply()
    assert await Post.all().count() == 3
    assert await PostPhoto.all().count() == 3
    assert await Post.filter(id=uuid.UUID(processing), status=PostStatus.PUBLISHED).exists()


async def test_the_backfill_command_adds_what_is_missing_in_batches(
    client: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    ready = [await photo(creator) for _ in range(5)]
    await draft(client, creator, [ready[0]])
    await photo(creator, MediaStatus.PROCESSING)
    env = base_env()
    ran = await digis("posts", "backfill", "--batch-size", "2", "--json", env=env)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {"posts_made": 4}
    assert await Post.filter(status=PostStatus.PUBLISHED).count() == 4
    assert await PostPhoto.all().count() == 5
    again = await digis("posts", "backfill", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "posts made: 0"
