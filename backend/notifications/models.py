"""In-app notifications, created only by workers through `notifications.service.notify`."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from backend.accounts.models import User


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=40)  # follow, tip, purchase, refund, media_ready, ...
    data: dict[str, object] = fields.JSONField(default=dict)  # what the UI needs to render it
    # Insert-or-nothing key: the same notice is never created twice (e.g. one follow notice
    # per follower per creator per day).
    dedupe_key = fields.CharField(max_length=200, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications"
        indexes = (Index(fields=("recipient_id", "id")), Index(fields=("recipient_id", "read_at")))
