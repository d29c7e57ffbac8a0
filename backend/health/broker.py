"""Whether Celery's broker answers, for `/health`: a Redis ping, or a short AMQP connect."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Protocol, cast

from kombu import Connection
from redis.asyncio import Redis

from backend.settings import Settings

CONNECT_TIMEOUT_SECONDS = 1.0


class BrokerCheck(Protocol):
    async def ping(self) -> None: ...

    async def aclose(self) -> None: ...


class RedisBrokerCheck:
    def __init__(self, url: str) -> None:
        self._client = Redis.from_url(
            url,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )

    async def ping(self) -> None:
        await cast(Awaitable[bool], self._client.ping())

    async def aclose(self) -> None:
        await self._client.aclose()


class AmqpBrokerCheck:
    """Opens and closes one connection per check (off the event loop: kombu is synchronous)."""

    def __init__(self, url: str) -> None:
        self._url = url

    def _connect(self) -> None:
        with Connection(self._url, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)

    async def ping(self) -> None:
        await asyncio.to_thread(self._connect)

    async def aclose(self) -> None:
        return None


def broker_check(settings: Settings) -> BrokerCheck:
    if settings.broker_is_redis:
        return RedisBrokerCheck(settings.broker_url)
    return AmqpBrokerCheck(settings.broker_url)
