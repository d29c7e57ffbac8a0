"""The follow graph, and per-creator counters kept in step with it.

`CreatorStats` holds one row per creator account: the exact follower count (changed only
in the transaction that really inserts or deletes a follow) and the sort keys of
discovery, so listing by popularity or sign-up time is an index scan, whatever the
number of creators.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.indexes import Index
from tortoise.models import Model
from tortoise.signals import post_save

from backend.accounts.models import User
from backend.accounts.roles import Role


class Follow(Model):
    id = fields.BigIntField(primary_key=True)
    fan: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="following", on_delete=fields.CASCADE
    )
    fan_id: uuid.UUID
    creator: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="followers", on_delete=fields.CASCADE
    )
    creator_id: uuid.UUID
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "follows"
        unique_together = (("fan", "creator"),)
        # Newest first: a creator's followers, and whom a fan follows.
        indexes = (Index(fields=("creator_id", "id")), Index(fields=("fan_id", "id")))


class CreatorStats(Model):
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="creator_stats", on_delete=fields.CASCADE, primary_key=True
    )
    user_id: uuid.UUID
    follower_count = fields.IntField(default=0)
    joined_at = fields.DatetimeField()  # the user's sign-up time (sort=new)

    class Meta:
        table = "creator_stats"
        indexes = (
            Index(fields=("follower_count", "user_id")),
            Index(fields=("joined_at", "user_id")),
        )


CREATE_STATS = """
INSERT INTO "creator_stats" ("user_id", "follower_count", "joined_at")
VALUES ($1, 0, $2) ON CONFLICT ("user_id") DO NOTHING
"""


@post_save(User)
async def _give_creators_stats(
    sender: type[User],
    instance: User,
    created: bool,
    using_db: BaseDBAsyncClient | None,
    update_fields: Iterable[str] | None,
) -> None:
    """Every creator account has its stats row, written in the transaction that made the
    account a creator (sign-up, or a role change saved through the model)."""
    if instance.role != Role.CREATOR or using_db is None:
        return
    if not created and update_fields is not None and "role" not in update_fields:
        return
    args: list[Any] = [instance.id, instance.created_at]
    await using_db.execute_query(CREATE_STATS, args)
