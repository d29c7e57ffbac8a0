"""The transactional outbox: a job written in the same transaction as the rows it is about.

A job is `pending` until it finishes. While pending it is either waiting (in the broker, or
not handed over at all) or held by a worker (`lease_until` in the future). `available_at` is
when the sweeper may hand it to the broker again, in case its message was lost; a worker
that holds it pushes that moment past its lease.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import PartialIndex
from tortoise.models import Model


class JobStatus(StrEnum):
    PENDING = "pending"  # committed, not finished: waiting for a worker, or running
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # retries exhausted, or it can never succeed; `last_error` says why


class OutboxJob(Model):
    id = fields.BigIntField(primary_key=True)
    task = fields.CharField(max_length=200)
    args: list[object] = fields.JSONField(default=list)
    request_id = fields.CharField(max_length=128, null=True)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    created_at = fields.DatetimeField(auto_now_add=True)
    # When the sweeper may (re)publish the job; null only on rows of older releases.
    available_at = fields.DatetimeField(null=True)
    lease_until = fields.DatetimeField(null=True)  # a worker holds the job until then
    lease_holder = fields.CharField(max_length=300, null=True)  # that worker: "host:pid"
    started_at = fields.DatetimeField(null=True)  # the last run's start
    published_at = fields.DatetimeField(null=True)  # the sweeper's last publication
    publish_attempts = fields.IntField(default=0)  # publications by the sweeper
    run_attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox"
        indexes = (
            # Only unfinished and failed jobs are ever looked for; finished ones are pruned.
            PartialIndex(fields=("available_at",), condition={"status": "pending"}),
            PartialIndex(fields=("id",), condition={"status": "failed"}),
        )
