"""The session's Celery broker, Redis (the default) or RabbitMQ (`make test-rabbitmq`).

`CELERY_BROKER_URL` in the environment picks it for every process of the session. Redis
isolates a session's queues under its REDIS_NAMESPACE; RabbitMQ's queues are shared by
everything on the vhost, so an amqp session names its own with CELERY_QUEUE_PREFIX (and
deletes them at the end).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from amqp.exceptions import NotFound
from kombu import Connection, Queue

from backend.outbox.broker import QUEUES
from backend.settings import AMQP_SCHEMES, Settings


def broker_is_amqp() -> bool:
    """This session's broker is RabbitMQ (read from the environment, as the processes do)."""
    url = os.environ.get("CELERY_BROKER_URL") or ""
    return urlsplit(url).scheme in AMQP_SCHEMES


requires_redis_broker = pytest.mark.skipif(
    broker_is_amqp(), reason="needs Redis as Celery's broker; this run's broker is RabbitMQ"
)
requires_amqp_broker = pytest.mark.skipif(
    not broker_is_amqp(), reason="needs RabbitMQ as Celery's broker (make test-rabbitmq)"
)


def broker_address(settings: Settings) -> tuple[str, int]:
    parts = urlsplit(settings.broker_url)
    default = 6379 if settings.broker_is_redis else 5672
    return parts.hostname or "127.0.0.1", parts.port or default


def broker_url_at(settings: Settings, host: str, port: int) -> str:
    """The session's broker URL (scheme, credentials, database or vhost) at another address."""
    parts = urlsplit(settings.broker_url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@{host}:{port}" if credentials else f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def unreachable_broker_url(settings: Settings) -> str:
    return broker_url_at(settings, "127.0.0.1", 1)


@dataclass(frozen=True)
class BrokerTarget:
    """Where a test's own worker and API meet, apart from the session's shared worker."""

    env: dict[str, str]  # for worker and API processes
    overrides: dict[str, Any]  # for `with_overrides(settings, ...)`


def private_target(settings: Settings) -> BrokerTarget:
    """Redis: the next database number. RabbitMQ: this session's queues under `private.`."""
    if settings.broker_is_redis:
        redis_url = settings.redis_url
        database = (int((redis_url.path or "/0").strip("/") or 0) + 1) % 16
        url = f"redis://{redis_url.host}:{redis_url.port}/{database}"
        return BrokerTarget({"CELERY_BROKER_URL": url}, {"celery_broker_url": url})
    prefix = private_prefix(settings.celery_queue_prefix)
    return BrokerTarget(
        {"CELERY_BROKER_URL": settings.broker_url, "CELERY_QUEUE_PREFIX": prefix},
        {"celery_broker_url": settings.broker_url, "celery_queue_prefix": prefix},
    )


def private_prefix(session_prefix: str) -> str:
    return f"{session_prefix}private."


def delete_session_queues(url: str, session_prefix: str) -> None:
    """Delete an amqp session's queues (its own and the private ones), messages and all."""
    prefixes = (session_prefix, private_prefix(session_prefix))
    with Connection(url, connect_timeout=2) as connection:
        for name in (prefix + queue for prefix in prefixes for queue in QUEUES):
            channel = connection.channel()
            try:
                Queue(name, channel=channel).delete()
            except NotFound:
                continue
            connection.maybe_close_channel(channel)
