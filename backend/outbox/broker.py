"""Celery's configuration, shared by the API's publishing client and the worker.

Both sides must agree on queues, routing and the Redis key prefix, so it is defined once.
The broker is Redis or RabbitMQ (`CELERY_BROKER_URL`); the outbox's guarantees are the same
on either, since a job's row, not its message, says whether it still has to run. What differs
is who redelivers a dead worker's unacknowledged message: Redis after its visibility timeout,
RabbitMQ as soon as the worker's connection is gone.
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


def queue_name(settings: Settings, queue: str) -> str:
    """The broker's name of one of `QUEUES` (`CELERY_QUEUE_PREFIX` before it)."""
    return settings.celery_queue_prefix + queue


def transport_options(settings: Settings) -> dict[str, Any]:
    if settings.broker_is_redis:
        return {
            # Longer than any retry delay, or a delayed task would be delivered twice.
            "visibility_timeout": settings.celery_visibility_timeout,
            "global_keyprefix": settings.redis_key("celery", ""),
            "socket_connect_timeout": 2,
        }
    # pyamqp: a publish returns once RabbitMQ has taken the message (publisher confirms),
    # so a send the outbox counts as done was not lost on the way.
    return {"confirm_publish": True, "connect_timeout": 2}


def celery_config(settings: Settings) -> dict[str, Any]:
    default_queue = queue_name(settings, "default")
    return {
        "broker_url": settings.broker_url,
        # Celery prefers a CELERY_BROKER_URL in the environment to `broker_url`; these two
        # it reads first, so a client built from other settings (a test's) uses its own.
        "broker_read_url": settings.broker_url,
        "broker_write_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport_options(settings),
        "task_queues": [Queue(queue_name(settings, name)) for name in QUEUES],
        "task_default_queue": default_queue,
        "task_routes": (
            lambda name, *_args, **_kwargs: {"queue": queue_name(settings, route_for(name))},
        ),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        # Acknowledged once the task has run; a worker child that dies puts it back. On
        # RabbitMQ a whole worker lost returns its unacknowledged messages at once.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "task_publish_retry": False,
        "enable_utc": True,
    }
