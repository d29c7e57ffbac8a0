"""A job's log context ends with the job: the next task a worker process runs, a plain
Celery task (the outbox sweeper, say) too, must not log under the job's ids."""

from __future__ import annotations

import subprocess
import sys

# In its own process: importing the worker switches Prometheus to multiprocess mode.
IN_A_WORKER_PROCESS = """
from celery import signals
from backend.observability.context import request_id_var, task_id_var, task_name_var
import worker.jobs

request_id_var.set("trace-1")
task_name_var.set("notifications.follow_received")
task_id_var.set("job-8")
signals.task_postrun.send(sender=None, task_id="job-8", task=None, args=(), kwargs={})
print(request_id_var.get(), task_name_var.get(), task_id_var.get())
"""


def test_a_finished_task_leaves_no_job_ids_behind() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", IN_A_WORKER_PROCESS], capture_output=True, text=True, check=True
    )
    assert ran.stdout.split() == ["None", "None", "None"]
