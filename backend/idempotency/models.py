"""Stored `Idempotency-Key`s: one row per (user, key), holding the first response."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class IdempotencyKey(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)  # SHA-256 of method, path and body
    lease = fields.UUIDField()  # the request holding the claim
    locked_until = fields.DatetimeField(null=True)  # null once the response is stored
    response_status = fields.IntField(null=True)
    response_body: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_keys"
        unique_together = (("user", "key"),)
        indexes = (Index(fields=("expires_at",)),)
