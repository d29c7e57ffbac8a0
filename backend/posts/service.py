"""Posts: drafting, editing, publishing, deleting, reading and listing them, and likes.

A post shows 1 to 10 of its author's ready uploads, in order. The media domain owns those
rows and their files: a post only points at them, and deleting a post deletes a photo
through `media.service.delete` once no other post shows it.

A like is insert-or-nothing on (post, user); only a real insert or delete moves the post's
`like_count`, in the same statement, so the count is exact under any concurrency (as
follows are).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from loguru import logger
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend import db
from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.http.errors import Conflict, Forbidden, NotFound, field_error
from backend.http.pagination import PageQuery, decode_time_cursor, encode_time_cursor
from backend.media import service as media_service
from backend.media.schemas import MediaOut
from backend.posts import views
from backend.posts.models import Post, PostPhoto, PostStatus
from backend.posts.schemas import LikeOut, MyPostsQuery, PostIn, PostOut, PostPage, PostPatch
from backend.settings import Settings

NO_SUCH_POST = "No such post."
NO_SUCH_CREATOR = "No such creator."

# Liking may be repeated any number of times, concurrently: one statement, autocommitted.
# It inserts the like or nothing (published posts only), and only a real insert moves the
# counter, under the post row's lock. It answers the post's row (none: no such post), which
# says why nothing changed when the post cannot be liked.
LIKE = """
WITH
post AS (SELECT "id", "author_id", "status", "like_count" FROM "posts" WHERE "id" = $1),
added AS (
    INSERT INTO "post_likes" ("post_id", "user_id", "created_at")
    SELECT post."id", $2, now() FROM post WHERE post."status" = 'published'
    ON CONFLICT ("post_id", "user_id") DO NOTHING
    RETURNING "post_id"
), counted AS (
    UPDATE "posts" SET "like_count" = "posts"."like_count" + 1
    FROM added WHERE "posts"."id" = added."post_id"
    RETURNING "posts"."like_count"
)
SELECT post."author_id", post."status",
       COALESCE((SELECT "like_count" FROM counted), post."like_count") AS "like_count"
FROM post
"""
UNLIKE = """
WITH
post AS (SELECT "id", "author_id", "status", "like_count" FROM "posts" WHERE "id" = $1),
removed AS (
    DELETE FROM "post_likes" USING post
    WHERE "post_likes"."post_id" = post."id" AND "post_likes"."user_id" = $2
    RETURNING "post_likes"."post_id"
), counted AS (
    UPDATE "posts" SET "like_count" = "posts"."like_count" - 1
    FROM removed WHERE "posts"."id" = removed."post_id"
    RETURNING "posts"."like_count"
)
SELECT post."author_id", post."status",
       COALESCE((SELECT "like_count" FROM counted), post."like_count") AS "like_count"
FROM post
"""

# The backfill of migration 11 (MIGRATIONS.md: expand, backfill), in batches and safe to run
# again: for media that became ready after the migration ran, or that code from before posts
# uploaded during the deploy. Each ready media item no post shows yet becomes a free,
# published, one-photo post, published at its upload time and taking the media's id.
BACKFILL_BATCH = """
WITH made AS (
    INSERT INTO "posts" ("id", "author_id", "caption", "status", "like_count",
                         "created_at", "updated_at", "published_at")
    SELECT m."id", m."owner_id", '', 'published', 0, m."created_at", m."created_at",
           m."created_at"
    FROM "media" m
    WHERE m."status" = 'ready'
      AND NOT EXISTS (SELECT 1 FROM "post_photos" pp WHERE pp."media_id" = m."id")
      AND NOT EXISTS (SELECT 1 FROM "posts" p WHERE p."id" = m."id")
    ORDER BY m."created_at", m."id"
    LIMIT $1
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
), shown AS (
    INSERT INTO "post_photos" ("post_id", "media_id", "position")
    SELECT made."id", made."id", 0 FROM made
    RETURNING 1
)
SELECT count(*) AS "made" FROM shown
"""


async def backfill_media_posts(batch_size: int = 500) -> int:
    """Make posts of the ready media no post shows yet, `batch_size` per autocommitted
    statement; answers how many were made."""
    made = 0
    while True:
        row = await db.fetch_row(BACKFILL_BATCH, [batch_size])
        batch = int(row["made"]) if row is not None else 0
        made += batch
        if batch < batch_size:
            return made


# Writing


async def create(settings: Settings, author: User, body: PostIn) -> PostOut:
    """A new draft of the author's own ready photos, in the order given."""
    await _protect_if_locked(settings, author, body.price, body.media_ids)
    async with in_transaction():
        await media_service.own_ready_media(author, body.media_ids, "media_ids")
        post = await Post.create(
            id=uuid.uuid4(), author=author, caption=body.caption, price=body.price
        )
        await _set_photos(post, body.media_ids)
    logger.info("post {} drafted with {} photos", post.id, len(body.media_ids))
    return await views.view(post, author)


async def update(settings: Settings, post_id: uuid.UUID, user: User, body: PostPatch) -> PostOut:
    """Change the caption and the price (any time, but a published free post stays free)
    and the photos (while a draft)."""
    async with in_transaction():
        post = await _own_post_for_update(post_id, user, "edit")
        price = _new_price(post, body)
        media_ids = body.media_ids or await _photo_ids(post)
    # The files move before the price commits: a locked post never shows a public URL.
    await _protect_if_locked(settings, user, price, media_ids)
    async with in_transaction():
        post = await _own_post_for_update(post_id, user, "edit")
        price = _new_price(post, body)  # again: it may have been published meanwhile
        if body.media_ids is not None:
            await media_service.own_ready_media(user, body.media_ids, "media_ids")
            await PostPhoto.filter(post_id=post.id).delete()
            await _set_photos(post, body.media_ids)
        elif price > 0 and await _photo_ids(post) != list(media_ids):
            raise Conflict("The post's photos changed meanwhile; try again.")
        if body.caption is not None:
            post.caption = body.caption
        post.price = price
        await post.save()
    return await views.view(post, user)


def _new_price(post: Post, body: PostPatch) -> int:
    """The price the post will have; refuses what cannot be (while the post is locked)."""
    if body.media_ids is not None and post.status != PostStatus.DRAFT:
        raise field_error("media_ids", "The photos can be changed only while the post is a draft.")
    price = post.price if body.price is None else body.price
    if price > 0 and post.price == 0 and post.status == PostStatus.PUBLISHED:
        raise field_error(
            "price", "A published free post cannot be locked: everyone has seen its photos."
        )
    return price


async def _photo_ids(post: Post) -> list[uuid.UUID]:
    photos = await PostPhoto.filter(post_id=post.id).order_by("position").only("id", "media_id")
    return [photo.media_id for photo in photos]


async def _protect_if_locked(
    settings: Settings, author: User, price: int, media_ids: Sequence[uuid.UUID]
) -> None:
    """A locked post's photos are served only through signed URLs, from before it is."""
    if price > 0:
        await media_service.own_ready_media(author, media_ids, "media_ids")
        await media_service.protect(settings, media_ids)


async def _set_photos(post: Post, media_ids: Sequence[uuid.UUID]) -> None:
    await PostPhoto.bulk_create(
        [
            PostPhoto(post_id=post.id, media_id=media_id, position=position)
            for position, media_id in enumerate(media_ids)
        ]
    )


async def publish(post_id: uuid.UUID, user: User) -> PostOut:
    """Draft -> published; publishing again changes nothing and answers the same."""
    async with in_transaction():
        post = await _own_post_for_update(post_id, user, "publish")
        if post.status == PostStatus.DRAFT:
            if not await PostPhoto.filter(post_id=post.id).exists():
                raise field_error("media_ids", "A post needs at least one photo.")
            post.status = PostStatus.PUBLISHED
            post.published_at = datetime.now(UTC)
            await post.save(update_fields=["status", "published_at", "updated_at"])
            logger.info("post {} published", post.id)
    return await views.view(post, user)


async def delete(settings: Settings, post_id: uuid.UUID, user: User) -> None:
    """Delete one's own post, and each of its photos that no other post shows (through the
    media domain, which removes the files)."""
    async with in_transaction():
        post = await _own_post_for_update(post_id, user, "delete")
        media_ids = [photo.media_id for photo in await PostPhoto.filter(post_id=post.id)]
        await post.delete()
    still_shown = set(
        await PostPhoto.filter(media_id__in=list(media_ids)).values_list("media_id", flat=True)
    )
    for media_id in media_ids:
        if media_id in still_shown:
            continue
        with contextlib.suppress(NotFound):  # deleted on its own meanwhile
            await media_service.delete(settings, media_id, user)
    logger.info("post {} deleted", post_id)


async def _own_post_for_update(post_id: uuid.UUID, user: User, action: str) -> Post:
    """The post, locked for the caller's transaction: 404 when the caller may not see it
    (someone else's draft), 403 when they see it but it is not theirs."""
    post = await Post.filter(id=post_id).select_for_update().first()
    if post is None or not views.can_see(post, user):
        raise NotFound(NO_SUCH_POST)
    if post.author_id != user.id:
        raise Forbidden(f"Only the author can {action} this post.")
    return post


# Likes


async def like(post_id: uuid.UUID, user: User) -> LikeOut:
    """Like a published post; liking again changes nothing and answers the same."""
    row = _likeable(user, await db.fetch_row(LIKE, [post_id, user.id]))
    return LikeOut(post_id=post_id, liked=True, like_count=row["like_count"])


async def unlike(post_id: uuid.UUID, user: User) -> LikeOut:
    """Take a like back; doing it again changes nothing and answers the same."""
    row = _likeable(user, await db.fetch_row(UNLIKE, [post_id, user.id]))
    return LikeOut(post_id=post_id, liked=False, like_count=row["like_count"])


def _likeable(user: User, post: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if post is None or (post["status"] != PostStatus.PUBLISHED and post["author_id"] != user.id):
        raise NotFound(NO_SUCH_POST)
    if post["status"] != PostStatus.PUBLISHED:
        raise field_error("post", "Only published posts can be liked.")
    return post


# Reading


async def visible_post(post_id: uuid.UUID, viewer: User | None) -> PostOut:
    """A published post, or the viewer's own draft; 404 otherwise."""
    post = await Post.get_or_none(id=post_id)
    if post is None or not views.can_see(post, viewer):
        raise NotFound(NO_SUCH_POST)
    return await views.view(post, viewer)


async def creator_posts(handle: str, viewer: User | None, query: PageQuery) -> PostPage:
    """A creator's published posts, newest first (keyset on the publication time and id)."""
    creator = await User.get_or_none(handle=handle.lower(), role=Role.CREATOR)
    if creator is None:
        raise NotFound(NO_SUCH_CREATOR)
    rows, next_cursor = await _published_page(
        Post.filter(author_id=creator.id, status=PostStatus.PUBLISHED), query
    )
    return PostPage(items=await _shown(rows, viewer), next_cursor=next_cursor)


async def own_posts(author: User, query: MyPostsQuery) -> PostPage:
    """The author's own posts, drafts included, newest first (keyset on creation)."""
    rows = Post.filter(author_id=author.id)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    after = decode_time_cursor(query.cursor)
    if after is not None:
        created_at, last_id = after
        rows = rows.filter(
            Q(created_at__lte=created_at), Q(created_at__lt=created_at) | Q(id__lt=last_id)
        )
    found = await rows.order_by("-created_at", "-id").limit(query.limit + 1)
    page = list(found[: query.limit])
    next_cursor = None
    if len(found) > query.limit:
        next_cursor = encode_time_cursor(page[-1].created_at, page[-1].id)
    return PostPage(items=await _shown(page, author), next_cursor=next_cursor)


async def _shown(rows: Sequence[Post], viewer: User | None) -> list[PostOut]:
    # A post whose every photo was deleted (through the media routes) shows nothing.
    return [view for view, _ in await views.views(rows, viewer) if view.photo_count]


async def published_by(
    authors: Subquery, viewer: User, query: PageQuery
) -> tuple[list[tuple[PostOut, MediaOut | None]], str | None]:
    """Published posts of the users `authors` selects (a subquery of ids), newest first,
    each with its first photo as media (None while locked to the viewer): a feed page."""
    rows, next_cursor = await _published_page(
        Post.filter(author_id__in=authors, status=PostStatus.PUBLISHED), query
    )
    entries = [
        (post, MediaOut.of(media[0]) if media else None)
        for post, media in await views.views(rows, viewer)
        if post.photo_count
    ]
    return entries, next_cursor


async def _published_page(rows: QuerySet[Post], query: PageQuery) -> tuple[list[Post], str | None]:
    after = decode_time_cursor(query.cursor)
    if after is not None:
        published_at, last_id = after
        # The `<=` on the leading column lets the index scan start at the cursor.
        rows = rows.filter(
            Q(published_at__lte=published_at),
            Q(published_at__lt=published_at) | Q(id__lt=last_id),
        )
    found = await rows.order_by("-published_at", "-id").limit(query.limit + 1)
    page = list(found[: query.limit])
    next_cursor = None
    if len(found) > query.limit and page[-1].published_at is not None:
        next_cursor = encode_time_cursor(page[-1].published_at, page[-1].id)
    return page, next_cursor
