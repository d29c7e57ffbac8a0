"""Media: creators' uploads and their thumbnails (the media issue fills in the behaviour)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User

# The `derivatives` entry of the blurred preview (the others are thumbnails, by long side).
BLUR = "blur"


class MediaStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Media(Model):
    id = fields.UUIDField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="media", on_delete=fields.CASCADE
    )
    owner_id: uuid.UUID
    status = fields.CharEnumField(MediaStatus, max_length=16, default=MediaStatus.PROCESSING)
    failure_reason = fields.CharField(max_length=300, null=True)
    content_type = fields.CharField(max_length=40)
    byte_size = fields.BigIntField()
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    original_key = fields.CharField(max_length=300)  # storage key; never served publicly
    # {"320": {"key": "...", "width": 320, "height": 240, "content_type": "image/webp"}, ...,
    #  "blur": {...}}: thumbnails by long side, and the blurred preview (always public)
    derivatives: dict[str, dict[str, object]] = fields.JSONField(default=dict)
    # Shown in a locked post: its thumbnails are under `protected/` keys, served only
    # through signed URLs (`service.protect`).
    protected = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    ready_at = fields.DatetimeField(null=True)

    class Meta:
        table = "media"
        indexes = (Index(fields=("owner_id", "status", "created_at")),)
