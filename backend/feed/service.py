"""The feed: published posts of the followed creators, newest first (keyset on the posts'
publication time and id, served per creator by the posts (author, status, published_at)
index). Locked posts show as they do anywhere else: their preview, not their photos."""

from __future__ import annotations

from tortoise.expressions import Subquery

from backend.accounts.models import User
from backend.creators.models import Follow
from backend.creators.service import creator_summaries
from backend.feed.schemas import FeedItem, FeedPage
from backend.http.pagination import PageQuery
from backend.posts import service as posts_service


async def feed(fan: User, query: PageQuery) -> FeedPage:
    followed = Follow.filter(fan_id=fan.id).values("creator_id")
    entries, next_cursor = await posts_service.published_by(Subquery(followed), fan, query)
    creators = await creator_summaries(post.author.id for post, _ in entries)
    items = [
        FeedItem(post=post, media=media, creator=creators[post.author.id])
        for post, media in entries
        if post.author.id in creators
    ]
    return FeedPage(items=items, next_cursor=next_cursor)
