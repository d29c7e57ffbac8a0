"""The transactional outbox: a job written in the same transaction as the rows it is about."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class JobStatus(StrEnum):
    PENDING = "pending"  # committed, not yet handed to the broker
    PUBLISHED = "published"  # handed to the broker, not yet finished
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # retries exhausted; `last_error` says why


class OutboxJob(Model):
    id = fields.BigIntField(primary_key=True)
    task = fields.CharField(max_length=200)
    args: list[object] = fields.JSONField(default=list)
    request_id = fields.CharField(max_length=128, null=True)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)
    publish_attempts = fields.IntField(default=0)
    run_attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox"
        indexes = (Index(fields=("status", "created_at")),)
