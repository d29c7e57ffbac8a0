"""`transaction()`: domain rows and their side-effect jobs commit together, or not at all.

    async with transaction() as tx:
        follow = await Follow.create(...)
        await tx.enqueue("notifications.notify_follow", follow.id)

Jobs are published right after the commit (best effort, off the event loop); a rolled
back transaction leaves no job behind. `after_commit` runs other best-effort steps (such as
a live push) once the rows they announce are committed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.outbox import publisher, service
from backend.outbox.publisher import JobMessage

JsonArg = str | int | float | bool | None


@dataclass
class Transaction:
    connection: BaseDBAsyncClient
    jobs: list[JobMessage] = field(default_factory=list)
    committed_steps: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def enqueue(self, task: str, *args: JsonArg) -> int:
        """Record a job (arguments are ids and small values, never whole objects)."""
        job = await service.write_job(task, list(args), published=publisher.current() is not None)
        job_id: int = job.id
        self.jobs.append(JobMessage(job_id, task, list(args), job.request_id))
        return job_id

    def after_commit(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once the transaction has committed (never if it rolls back); it
        must not raise."""
        self.committed_steps.append(step)


@asynccontextmanager
async def transaction() -> AsyncIterator[Transaction]:
    async with in_transaction() as connection:
        tx = Transaction(connection)
        yield tx
    published_after_commit(tx.jobs)
    for step in tx.committed_steps:
        await step()


def published_after_commit(jobs: list[JobMessage]) -> None:
    """Hand committed jobs to the publisher (for a hot path whose single statement both
    wrote its rows and its outbox job, so it committed without `transaction()`)."""
    active = publisher.current()
    if jobs and active is not None:
        active.publish_soon(jobs)
