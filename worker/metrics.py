"""Task outcome counters, shared by all processes of one worker through prometheus'
multiprocess mode and served by the worker's main process (WORKER_METRICS_PORT)."""

from __future__ import annotations

from prometheus_client import Counter

TASK_SUCCEEDED = Counter("digis_tasks_succeeded_total", "Jobs that succeeded", ["task"])
TASK_FAILED = Counter("digis_tasks_failed_total", "Jobs that failed for good", ["task"])
TASK_RETRIES = Counter("digis_tasks_retried_total", "Job attempts that will be retried", ["task"])
