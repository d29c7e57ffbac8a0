"""Celery's configuration, shared by the API's publishing client and the worker.

Both sides must agree on queues, routing and the Redis key prefix, so it is defined once.
"""

from __future__ import annotations

from typing import Any

from kombu import Queue

from backend.settings import Settings

QUEUES = ("webhooks", "media", "notifications", "default")


def route_for(task_name: str) -> str:
    """`payments.process_event` -> `webhooks` queue etc.: the task's prefix names its queue."""
    prefix = task_name.split(".", 1)[0]
    return {
        "webhooks": "webhooks",
        "media": "media",
        "notifications": "notifications",
    }.get(prefix, "default")


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            # Longer than any retry delay, or a delayed task would be delivered twice.
            "visibility_timeout": settings.celery_visibility_timeout,
            "global_keyprefix": settings.redis_key("celery", ""),
            "socket_connect_timeout": 2,
        },
        "task_queues": [Queue(name) for name in QUEUES],
        "task_default_queue": "default",
        "task_routes": (lambda name, *_args, **_kwargs: {"queue": route_for(name)},),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "task_publish_retry": False,
        "enable_utc": True,
    }
