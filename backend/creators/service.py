"""Creators: discovery, profiles, and following them with exact follower counts.

A follow is insert-or-nothing on (fan, creator); only a real insert or delete changes the
creator's counter, atomically and in the same transaction, so counts stay exact under
any number of concurrent follows and unfollows. Only a real new follow queues the
creator's notice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from backend import db
from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.creators.models import CreatorStats, Follow
from backend.creators.schemas import (
    CreatorPage,
    CreatorProfile,
    CreatorQuery,
    CreatorSort,
    CreatorSummary,
    FollowerPage,
    FollowOut,
    UserSummary,
)
from backend.http.errors import NotFound, ValidationFailed, field_error
from backend.http.pagination import PageQuery, decode_cursor, encode_cursor
from backend.notifications.schemas import actor
from backend.notifications.service import notify
from backend.observability.context import current_request_id
from backend.outbox.publisher import JobMessage
from backend.outbox.service import lease_for
from backend.outbox.statements import add_job
from backend.outbox.transaction import published_after_commit

FOLLOW_RECEIVED = "notifications.follow_received"
NO_SUCH_CREATOR = "No such creator."
MAX_INT = 2**31 - 1  # follower counts are INT
MAX_BIGINT = 2**63 - 1  # follow ids are BIGINT

# Following happens on every profile visit and must stay exact under any concurrency, so
# each change is one autocommitted statement: it finds the creator by handle, and only for
# someone who can be followed inserts (or deletes) the follow or nothing; only a real change
# moves the counter (atomically, under the stats row's lock) and, for a new follow, writes
# the creator's notice job to the outbox. It answers the creator's row (none: no such
# user), which says why nothing changed when the user cannot be followed.
FOLLOW = f"""
WITH
creator AS (SELECT "id", "handle", "role", "created_at" FROM "users" WHERE "handle" = $2),
followee AS (SELECT * FROM creator WHERE "role" = 'creator' AND "id" <> $1),
added AS (
    INSERT INTO "follows" ("fan_id", "creator_id", "created_at")
    SELECT $1, followee."id", now() FROM followee
    ON CONFLICT ("fan_id", "creator_id") DO NOTHING
    RETURNING "id", "creator_id"
), counted AS (
    -- Should the stats row be missing, it is made from the follows table (+ this follow).
    INSERT INTO "creator_stats" ("user_id", "follower_count", "joined_at")
    SELECT followee."id",
           (SELECT count(*) FROM "follows" WHERE "creator_id" = followee."id") + 1,
           followee."created_at"
    FROM added, followee
    ON CONFLICT ("user_id")
    DO UPDATE SET "follower_count" = "creator_stats"."follower_count" + 1
    RETURNING "follower_count"
), job AS (
    {
    add_job(
        source="added",
        task="$3",
        args='jsonb_build_array(added."id")',
        request_id="$4",
        lease_seconds="$5",
    )
}
    RETURNING "id", "args"
)
SELECT creator."id", creator."handle", creator."role",
       (SELECT "id" FROM job) AS "job_id", (SELECT "args" FROM job) AS "job_args",
       COALESCE((SELECT "follower_count" FROM counted),
                (SELECT "follower_count" FROM "creator_stats" WHERE "user_id" = creator."id"),
                0) AS "follower_count"
FROM creator
"""  # noqa: S608 - only the outbox's constant SQL is formatted in
UNFOLLOW = """
WITH
creator AS (SELECT "id", "handle", "role", "created_at" FROM "users" WHERE "handle" = $2),
followee AS (SELECT * FROM creator WHERE "role" = 'creator' AND "id" <> $1),
removed AS (
    DELETE FROM "follows" USING followee
    WHERE "fan_id" = $1 AND "creator_id" = followee."id" RETURNING "follows"."id"
), counted AS (
    UPDATE "creator_stats" SET "follower_count" = "follower_count" - 1
    FROM followee
    WHERE "user_id" = followee."id" AND EXISTS (SELECT 1 FROM removed)
    RETURNING "follower_count"
)
SELECT creator."id", creator."handle", creator."role",
       COALESCE((SELECT "follower_count" FROM counted),
                (SELECT "follower_count" FROM "creator_stats" WHERE "user_id" = creator."id"),
                0) AS "follower_count"
FROM creator
"""


# Looking creators up


async def _user_by_handle(handle: str) -> User:
    user = await User.get_or_none(handle=handle.lower())
    if user is None:
        raise NotFound(NO_SUCH_CREATOR)
    return user


async def creator_by_handle(handle: str) -> User:
    """The creator with this handle; 404 for unknown handles and non-creators alike."""
    user = await _user_by_handle(handle)
    if user.role != Role.CREATOR:
        raise NotFound(NO_SUCH_CREATOR)
    return user


async def follower_counts(creator_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await CreatorStats.filter(user_id__in=list(creator_ids)).values_list(
        "user_id", "follower_count"
    )
    return dict(rows)


async def creator_summaries(creator_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, CreatorSummary]:
    ids = list(set(creator_ids))
    users = await User.filter(id__in=ids)
    counts = await follower_counts(ids)
    return {user.id: CreatorSummary.of_creator(user, counts.get(user.id, 0)) for user in users}


# Discovery

SORT_FIELDS = {CreatorSort.POPULAR: "follower_count", CreatorSort.NEW: "joined_at"}


async def list_creators(query: CreatorQuery) -> CreatorPage:
    """Creators matching `q`, most followed (or newest) first; keyset-paginated on the sort
    key then the user id, so the order is stable while creators sign up."""
    field = SORT_FIELDS[query.sort]
    rows = CreatorStats.filter(user__role=Role.CREATOR).select_related("user")
    if query.q:
        rows = rows.filter(
            Q(user__handle__icontains=query.q) | Q(user__display_name__icontains=query.q)
        )
    after = decode_cursor(query.cursor, 3)
    if after is not None:
        rows = _after(rows, field, _creator_cursor(query.sort, after))
    found = await rows.order_by(f"-{field}", "-user_id").limit(query.limit + 1)
    page = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = page[-1]
        key = getattr(last, field)
        next_cursor = encode_cursor(
            query.sort.value,
            key.isoformat() if isinstance(key, datetime) else key,
            str(last.user_id),
        )
    items = [CreatorSummary.of_creator(row.user, row.follower_count) for row in page]
    return CreatorPage(items=items, next_cursor=next_cursor)


def _after(
    rows: QuerySet[CreatorStats], field: str, cursor: tuple[Any, uuid.UUID]
) -> QuerySet[CreatorStats]:
    key, user_id = cursor
    # The `<=` on the leading column lets the index scan start at the cursor.
    return rows.filter(
        Q(**{f"{field}__lte": key}),
        Q(**{f"{field}__lt": key}) | Q(user_id__lt=user_id),
    )


def _creator_cursor(sort: CreatorSort, values: list[Any]) -> tuple[Any, uuid.UUID]:
    kind, key, user_id = values
    try:
        if kind != sort.value:
            raise ValueError("the cursor belongs to another sort order")
        if sort is CreatorSort.NEW:
            parsed: Any = _instant(key)
        else:
            parsed = _cursor_int(key, MAX_INT)
        return parsed, uuid.UUID(str(user_id))
    except ValueError:
        raise _bad_cursor() from None


def _cursor_int(value: Any, maximum: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum:
        return value
    raise _bad_cursor()


def _bad_cursor() -> ValidationFailed:
    return field_error("cursor", "The cursor is not valid; start again from the first page.")


# A profile is read on every visit: one statement, only the columns the answer needs.
PROFILE = """
SELECT u."id", u."handle", u."display_name", u."avatar_url", u."bio", u."created_at",
       COALESCE(s."follower_count", 0) AS "follower_count",
       (SELECT count(*) FROM "media" m
        WHERE m."owner_id" = u."id" AND m."status" = 'ready') AS "media_count",
       EXISTS (SELECT 1 FROM "follows" f
               WHERE f."fan_id" = $2 AND f."creator_id" = u."id") AS "is_following"
FROM "users" u LEFT JOIN "creator_stats" s ON s."user_id" = u."id"
WHERE u."handle" = $1 AND u."role" = 'creator'
"""


async def profile(handle: str, viewer: User | None) -> CreatorProfile:
    viewer_id = viewer.id if viewer is not None else None
    row = await db.fetch_row(PROFILE, [handle.lower(), viewer_id])
    if row is None:
        raise NotFound(NO_SUCH_CREATOR)
    return CreatorProfile(**row)


# Following


async def follow(fan: User, handle: str) -> FollowOut:
    """Follow a creator; following again changes nothing and answers the same."""
    request_id = current_request_id()
    args = [fan.id, handle.lower(), FOLLOW_RECEIVED, request_id, lease_for(FOLLOW_RECEIVED)]
    row = _followed(fan, await db.fetch_row(FOLLOW, args))
    if row["job_id"] is not None:
        job_args = json.loads(row["job_args"])
        published_after_commit(
            [JobMessage(int(row["job_id"]), FOLLOW_RECEIVED, job_args, request_id)]
        )
    return FollowOut(handle=row["handle"], following=True, follower_count=row["follower_count"])


async def unfollow(fan: User, handle: str) -> FollowOut:
    """Stop following a creator; unfollowing again changes nothing and answers the same."""
    row = _followed(fan, await db.fetch_row(UNFOLLOW, [fan.id, handle.lower()]))
    return FollowOut(handle=row["handle"], following=False, follower_count=row["follower_count"])


def _followed(fan: User, creator: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The statement's answer, or why the user could not be followed (nothing changed)."""
    if creator is None:
        raise NotFound(NO_SUCH_CREATOR)
    if creator["role"] != Role.CREATOR:
        raise field_error("handle", "Only creators can be followed.")
    if creator["id"] == fan.id:
        raise field_error("handle", "You cannot follow yourself.")
    return creator


# Listings of the graph


async def following(fan: User, query: PageQuery) -> CreatorPage:
    """The creators `fan` follows, newest follow first."""
    rows, next_cursor = await _follow_page(Follow.filter(fan_id=fan.id), query, "creator")
    counts = await follower_counts(row.creator_id for row in rows)
    items = [CreatorSummary.of_creator(row.creator, counts.get(row.creator_id, 0)) for row in rows]
    return CreatorPage(items=items, next_cursor=next_cursor)


async def followers(handle: str, query: PageQuery) -> FollowerPage:
    """Who follows the creator, newest follow first."""
    creator = await creator_by_handle(handle)
    rows, next_cursor = await _follow_page(Follow.filter(creator_id=creator.id), query, "fan")
    return FollowerPage(items=[UserSummary.of(row.fan) for row in rows], next_cursor=next_cursor)


async def _follow_page(
    rows: QuerySet[Follow], query: PageQuery, related: str
) -> tuple[Sequence[Follow], str | None]:
    after = decode_cursor(query.cursor, 1)
    if after is not None:
        rows = rows.filter(id__lt=_cursor_int(after[0], MAX_BIGINT))
    found = await rows.select_related(related).order_by("-id").limit(query.limit + 1)
    page = found[: query.limit]
    more = len(found) > query.limit
    return page, encode_cursor(page[-1].id) if more else None


# The creator's notice (run by the worker)


async def notify_follow(follow_id: int) -> None:
    """Tell the creator about a new follower: at most once per follower per UTC day."""
    follow = await Follow.get_or_none(id=follow_id).select_related("fan")
    if follow is None:
        return  # unfollowed before the notice went out: nothing left to tell
    day = follow.created_at.astimezone(UTC).date().isoformat()
    await notify(
        follow.creator_id,
        "follow",
        {
            "follower": UserSummary.of(follow.fan).model_dump(mode="json"),
            "actor": actor(follow.fan),
        },
        dedupe_key=f"follow:{follow.creator_id}:{follow.fan_id}:{day}",
    )


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a cursor's instant has a time zone")
    return parsed


# Public pages (share previews, the sitemap)


async def public_creator(handle: str) -> User | None:
    """The creator with this handle, or None (unknown handles and non-creators alike)."""
    user = await User.get_or_none(handle=handle.lower())
    return user if user is not None and user.role == Role.CREATOR else None


async def creator_handles(
    after: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, str, datetime]]:
    """A batch of creators as (user id, handle, last change), in user id order after
    `after`: a primary-key range scan of the stats rows, whatever the number of creators."""
    rows = CreatorStats.filter(user__role=Role.CREATOR)
    if after is not None:
        rows = rows.filter(user_id__gt=after)
    found = (
        await rows.order_by("user_id")
        .limit(limit)
        .values_list("user_id", "user__handle", "user__updated_at")
    )
    return [(uuid.UUID(str(user_id)), str(handle), changed) for user_id, handle, changed in found]
