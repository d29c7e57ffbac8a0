"""The feed: ready, unprotected media of the followed creators, newest first (keyset on the media's
creation time and id, served per creator by the media (owner, status, created_at) index)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery

from backend.accounts.models import User
from backend.creators.models import Follow
from backend.creators.service import creator_summaries
from backend.feed.schemas import FeedItem, FeedPage
from backend.http.errors import field_error
from backend.http.pagination import PageQuery, decode_cursor, encode_cursor
from backend.media.models import Media, MediaStatus
from backend.media.schemas import MediaOut


async def feed(fan: User, query: PageQuery) -> FeedPage:
    followed = Follow.filter(fan_id=fan.id).values("creator_id")
    rows = Media.filter(owner_id__in=Subquery(followed), status=MediaStatus.READY, protected=False)
    after = decode_cursor(query.cursor, 2)
    if after is not None:
        created_at, media_id = _cursor_values(after)
        rows = rows.filter(
            Q(created_at__lte=created_at),
            Q(created_at__lt=created_at) | Q(id__lt=media_id),
        )
    found = await rows.order_by("-created_at", "-id").limit(query.limit + 1)
    page = found[: query.limit]
    creators = await creator_summaries(media.owner_id for media in page)
    items = [
        FeedItem(media=MediaOut.of(media), creator=creators[media.owner_id])
        for media in page
        if media.owner_id in creators
    ]
    next_cursor = None
    if len(found) > query.limit:
        next_cursor = encode_cursor(page[-1].created_at.isoformat(), str(page[-1].id))
    return FeedPage(items=items, next_cursor=next_cursor)


def _cursor_values(values: list[Any]) -> tuple[datetime, uuid.UUID]:
    try:
        return _instant(values[0]), uuid.UUID(str(values[1]))
    except ValueError:
        raise field_error(
            "cursor", "The cursor is not valid; start again from the first page."
        ) from None


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a cursor's instant has a time zone")
    return parsed
