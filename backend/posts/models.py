"""Posts, their photos (media rows of the author's, in order) and likes.

`Post.like_count` is exact: it moves only in the statement that really inserts or deletes a
like (`service.LIKE` / `service.UNLIKE`), as `creator_stats.follower_count` does for follows.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User

MAX_CAPTION = 2200
MAX_PHOTOS = 10
MAX_PRICE = 10_000  # tokens


class PostStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Post(Model):
    id = fields.UUIDField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="posts", on_delete=fields.CASCADE
    )
    author_id: uuid.UUID
    caption = fields.TextField(default="")
    status = fields.CharEnumField(PostStatus, max_length=16, default=PostStatus.DRAFT)
    like_count = fields.IntField(default=0)
    # Tokens a fan pays to see the photos; 0: a free post.
    price = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    photos: fields.ReverseRelation[PostPhoto]

    class Meta:
        table = "posts"
        # A creator's published posts newest first, and the feed (per followed creator).
        indexes = (Index(fields=("author_id", "status", "published_at", "id")),)


class PostPhoto(Model):
    id = fields.BigIntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="photos", on_delete=fields.CASCADE
    )
    post_id: uuid.UUID
    # The media domain owns the row; a post only points at it.
    media: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Media", related_name="post_photos", on_delete=fields.CASCADE
    )
    media_id: uuid.UUID
    position = fields.SmallIntField()

    class Meta:
        table = "post_photos"
        unique_together = (("post", "position"), ("post", "media"))
        indexes = (Index(fields=("media_id",)),)


class PostLike(Model):
    id = fields.BigIntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="likes", on_delete=fields.CASCADE
    )
    post_id: uuid.UUID
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="post_likes", on_delete=fields.CASCADE
    )
    user_id: uuid.UUID
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "post_likes"
        unique_together = (("post", "user"),)
        indexes = (Index(fields=("user_id", "post_id")),)


class PostUnlock(Model):
    """A fan's unlock of a locked post: at most one per fan and post, paid by one ledger
    movement (`unlock:<post id>:<fan id>`). It outlives nothing: deleting the post deletes
    it, while the movement and both wallet entries stay in the ledger."""

    id = fields.UUIDField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="unlocks", on_delete=fields.CASCADE
    )
    post_id: uuid.UUID
    fan: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="post_unlocks", on_delete=fields.CASCADE
    )
    fan_id: uuid.UUID
    price = fields.IntField()  # what the fan paid
    movement_id = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "post_unlocks"
        unique_together = (("post", "fan"),)
        indexes = (Index(fields=("fan_id", "post_id")),)
