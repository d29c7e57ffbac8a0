"""How many messages wait in each Celery queue, on Redis or on RabbitMQ.

Messages a worker holds unacknowledged are not counted on either broker.
"""

from __future__ import annotations

from typing import cast

from amqp.exceptions import NotFound
from kombu import Connection, Queue
from kombu.exceptions import OperationalError
from redis import Redis
from redis.exceptions import RedisError

from backend.outbox.broker import QUEUES, queue_name
from backend.settings import Settings

# kombu keeps a queue's prioritised messages in sibling lists named with this separator.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)
TIMEOUT_SECONDS = 2


def queue_depths(settings: Settings) -> tuple[dict[str, int] | None, str | None]:
    """Each queue's waiting messages, or None and why when the broker is unreachable."""
    if settings.broker_is_redis:
        return _redis_depths(settings)
    return _amqp_depths(settings)


def _redis_depths(settings: Settings) -> tuple[dict[str, int] | None, str | None]:
    prefix = settings.redis_key("celery", "")
    client = Redis.from_url(
        settings.broker_url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        depths = {}
        for queue in QUEUES:
            name = queue_name(settings, queue)
            names = [name] + [f"{name}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS]
            depths[queue] = sum(cast(int, client.llen(prefix + n)) for n in names)
        return depths, None
    except RedisError as error:
        return None, f"{type(error).__name__}: {error}"
    finally:
        client.close()


def _amqp_depths(settings: Settings) -> tuple[dict[str, int] | None, str | None]:
    try:
        with Connection(settings.broker_url, connect_timeout=TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)
            return {
                queue: _amqp_depth(connection, queue_name(settings, queue)) for queue in QUEUES
            }, None
    except (OperationalError, OSError) as error:
        return None, f"{type(error).__name__}: {error}"


def _amqp_depth(connection: Connection, name: str) -> int:
    """A passive declare reads the count without creating the queue; a missing one is empty."""
    counts: list[int] = []
    queue = Queue(name, on_declared=lambda _name, messages, _consumers: counts.append(messages))
    channel = connection.channel()
    try:
        queue.queue_declare(passive=True, channel=channel)
    except NotFound:
        return 0  # and the broker closed that channel
    connection.maybe_close_channel(channel)
    return sum(counts)
