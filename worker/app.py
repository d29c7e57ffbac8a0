"""The Celery app: `celery -A worker.app worker` / `celery -A worker.app beat`."""

from __future__ import annotations

import gc
import shutil
from datetime import timedelta
from typing import Any

from celery import Celery, signals
from loguru import logger

from backend.observability.logging import configure_logging
from backend.observability.sentry import init_sentry
from backend.observability.task_logs import quiet_routine_task_lines
from backend.outbox.broker import celery_config
from backend.settings import get_settings

TASK_MODULES = [
    "worker.tasks.outbox",
    "worker.tasks.accounts",
    "worker.tasks.media",
    "worker.tasks.creators",
    "worker.tasks.payments",
    "worker.tasks.payouts",
    "worker.tasks.posts",
]

settings = get_settings()
celery_app = Celery("digis")
celery_app.conf.update(celery_config(settings))
celery_app.conf.update(
    include=TASK_MODULES + settings.worker_extra_task_modules,
    beat_schedule={
        "outbox-sweep": {
            "task": "outbox.sweep",
            "schedule": timedelta(seconds=settings.outbox_sweep_interval_seconds),
        },
        "outbox-prune": {"task": "outbox.prune", "schedule": timedelta(hours=1)},
        "stripe-events-redrive": {
            "task": "webhooks.redrive_stripe_events",
            "schedule": timedelta(minutes=15),
        },
        "stripe-events-prune": {
            "task": "payments.prune_stripe_events",
            "schedule": timedelta(days=1),
        },
        "idempotency-keys-prune": {
            "task": "payments.prune_idempotency_keys",
            "schedule": timedelta(hours=1),
        },
    },
    beat_schedule_filename=str(settings.beat_schedule_path),
)


@signals.setup_logging.connect
def _logging(**_: Any) -> None:
    configure_logging(process="worker", level=settings.log_level, json_lines=settings.json_logs)
    # Beat's periodic tasks are housekeeping: Celery's lines about each run are DEBUG.
    quiet_routine_task_lines(entry["task"] for entry in celery_app.conf.beat_schedule.values())


@signals.worker_init.connect
def _worker_started(**_: Any) -> None:
    init_sentry(settings, component="worker")
    if settings.worker_metrics_port:
        _serve_metrics(settings.worker_metrics_port)


@signals.worker_process_init.connect
def _child_started(**_: Any) -> None:
    # What the child inherited lives as long as it does: keep the collector's full passes
    # off it (each one a pause of tens of milliseconds). Frozen objects are never
    # collected, so the garbage goes first.
    gc.collect()
    gc.freeze()
    init_sentry(settings, component="worker")


@signals.worker_process_shutdown.connect
def _child_stopping(pid: int | None = None, **_: Any) -> None:
    from worker import runtime

    runtime.shutdown()


@signals.worker_shutdown.connect
def _worker_stopping(**_: Any) -> None:
    from worker import runtime

    runtime.shutdown()
    shutil.rmtree(_metrics_dir(), ignore_errors=True)


def _metrics_dir() -> str:
    import os

    return os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _serve_metrics(port: int) -> None:
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    try:
        start_http_server(port, addr=settings.worker_metrics_host, registry=registry)
    except OSError as error:
        logger.warning("worker metrics not served on port {}: {}", port, error)
