"""A job's log context ends with the job: the next task a worker process runs, a plain
Celery task (the outbox sweeper, say) too, must not log under the job's ids."""

from __future__ import annotations

from celery import signals

from backend.observability.context import request_id_var, task_id_var, task_name_var
from worker import jobs  # noqa: F401 - connects the worker's task signals


def test_a_finished_task_leaves_no_job_ids_behind() -> None:
    request_id_var.set("trace-1")
    task_name_var.set("notifications.follow_received")
    task_id_var.set("job-8")
    signals.task_postrun.send(sender=None, task_id="job-8", task=None, args=(), kwargs={})
    assert (request_id_var.get(), task_name_var.get(), task_id_var.get()) == (None, None, None)
