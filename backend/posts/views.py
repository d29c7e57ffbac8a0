"""Posts as one viewer sees them: locked posts show a preview, not their photos.

A post is locked to a viewer when it has a price, and the viewer is neither its author nor
a fan who unlocked it (signed-out visitors included). A locked post shows the first line
of its caption, how many photos it has and the worker's blurred preview of the first one;
no URL of its photos is ever part of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from backend.accounts.models import User
from backend.creators.schemas import UserSummary
from backend.media import schemas as media_schemas
from backend.media import service as media_service
from backend.media.schemas import MediaOut
from backend.posts.models import Post, PostLike, PostPhoto, PostUnlock
from backend.posts.schemas import PhotoOut, PostOut


def can_see(post: Post, viewer: User | None) -> bool:
    """Published posts for everyone (locked or not), drafts for their author."""
    return post.status == "published" or (viewer is not None and post.author_id == viewer.id)


async def view(post: Post, viewer: User | None) -> PostOut:
    ((shown, _),) = await views([post], viewer)
    return shown


async def views(posts: Sequence[Post], viewer: User | None) -> list[tuple[PostOut, list[Any]]]:
    """Each post as the viewer sees it, with the media rows it shows them, in order (empty
    while locked). Five batched reads, whatever the number of posts."""
    post_ids = [post.id for post in posts]
    photos = await PostPhoto.filter(post_id__in=post_ids).order_by("post_id", "position")
    media = await media_service.media_by_ids(photo.media_id for photo in photos)
    authors = {
        user.id: UserSummary.of(user)
        for user in await User.filter(id__in=list({post.author_id for post in posts}))
    }
    liked, unlocked = await _viewer_marks(post_ids, viewer)
    ordered: dict[uuid.UUID, list[Any]] = {post_id: [] for post_id in post_ids}
    for photo in photos:
        if photo.media_id in media:
            ordered[photo.post_id].append(media[photo.media_id])
    result = []
    for post in posts:
        locked = post.price > 0 and post.id not in unlocked and not _is_author(post, viewer)
        items = ordered[post.id]
        shown = [] if locked else items
        result.append(
            (
                PostOut(
                    id=post.id,
                    author=authors[post.author_id],
                    caption=post.caption.split("\n", 1)[0] if locked else post.caption,
                    status=post.status.value,
                    photos=[_photo(item) for item in shown],
                    like_count=post.like_count,
                    liked_by_me=post.id in liked,
                    price=post.price,
                    photo_count=len(items),
                    locked=locked,
                    unlocked_by_me=post.id in unlocked,
                    preview=media_schemas.preview_of(items[0]) if locked and items else None,
                    created_at=post.created_at,
                    published_at=post.published_at,
                ),
                shown,
            )
        )
    return result


async def _viewer_marks(
    post_ids: list[uuid.UUID], viewer: User | None
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The posts the viewer liked, and those they unlocked."""
    if viewer is None or not post_ids:
        return set(), set()
    liked = PostLike.filter(post_id__in=post_ids, user_id=viewer.id)
    unlocked = PostUnlock.filter(post_id__in=post_ids, fan_id=viewer.id)
    return (
        {like.post_id for like in await liked.only("id", "post_id")},
        {made.post_id for made in await unlocked.only("id", "post_id")},
    )


def _is_author(post: Post, viewer: User | None) -> bool:
    return viewer is not None and post.author_id == viewer.id


def _photo(media: Any) -> PhotoOut:
    shown = MediaOut.of(media)
    return PhotoOut(
        media_id=shown.id, width=shown.width, height=shown.height, thumbnails=shown.thumbnails
    )
