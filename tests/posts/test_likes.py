"""Likes: idempotent, exact counts under concurrency, published posts only."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from backend.posts.models import Post, PostLike
from tests.posts.support import draft, photo, published
from tests.support.accounts import create_account

pytestmark = pytest.mark.usefixtures("database")


async def test_liking_and_unliking_are_idempotent(client: httpx.AsyncClient) -> None:
    creator, fan, other = [await create_account(role) for role in ("creator", "fan", "fan")]
    post = await published(client, creator)
    url = f"/api/posts/{post['id']}/like"
    for _ in range(2):
        response = await client.put(url, headers=fan.auth)
        assert response.status_code == 200
        assert response.json() == {"post_id": post["id"], "liked": True, "like_count": 1}
    assert (await client.put(url, headers=other.auth)).json()["like_count"] == 2
    assert (await client.put(url, headers=creator.auth)).json()["like_count"] == 3

    seen = (await client.get(f"/api/posts/{post['id']}", headers=fan.auth)).json()
    assert (seen["like_count"], seen["liked_by_me"]) == (3, True)
    for _ in range(2):
        response = await client.delete(url, headers=fan.auth)
        assert response.status_code == 200
        assert response.json() == {"post_id": post["id"], "liked": False, "like_count": 2}
    seen = (await client.get(f"/api/posts/{post['id']}", headers=fan.auth)).json()
    assert (seen["like_count"], seen["liked_by_me"]) == (2, False)
    assert (await client.put(url)).status_code == 401


async def test_only_published_posts_can_be_liked(client: httpx.AsyncClient) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    post = await draft(client, creator, [await photo(creator)])
    for method in ("PUT", "DELETE"):
        response = await client.request(method, f"/api/posts/{post['id']}/like", headers=fan.auth)
        assert response.status_code == 404
        response = await client.request(
            method, f"/api/posts/{post['id']}/like", headers=creator.auth
        )
        assert response.status_code == 422
        response = await client.request(method, f"/api/posts/{uuid.uuid4()}/like", headers=fan.auth)
        assert response.status_code == 404
    assert not await PostLike.all().exists()


async def test_twenty_concurrent_likes_by_one_fan_are_one_like(
    unlimited: httpx.AsyncClient,
) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    post = await published(unlimited, creator)
    url = f"/api/posts/{post['id']}/like"
    responses = await asyncio.gather(*(unlimited.put(url, headers=fan.auth) for _ in range(20)))
    assert {response.status_code for response in responses} == {200}
    assert {response.json()["like_count"] for response in responses} == {1}
    assert await PostLike.filter(post_id=uuid.UUID(post["id"])).count() == 1
    assert (await Post.get(id=uuid.UUID(post["id"]))).like_count == 1


async def test_counts_stay_exact_under_concurrent_likes_and_unlikes(
    unlimited: httpx.AsyncClient,
) -> None:
    creator = await create_account("creator")
    fans = [await create_account("fan") for _ in range(10)]
    post = await published(unlimited, creator)
    url = f"/api/posts/{post['id']}/like"
    await asyncio.gather(*(unlimited.put(url, headers=fan.auth) for fan in fans for _ in range(3)))
    assert (await Post.get(id=uuid.UUID(post["id"]))).like_count == 10
    calls = [unlimited.delete(url, headers=fan.auth) for fan in fans[:5] for _ in range(3)]
    calls += [unlimited.put(url, headers=fan.auth) for fan in fans[5:] for _ in range(3)]
    await asyncio.gather(*calls)
    stored = await Post.get(id=uuid.UUID(post["id"]))
    assert stored.like_count == 5 == await PostLike.filter(post_id=stored.id).count()
