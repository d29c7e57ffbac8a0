"""Signed webhook delivery in the background, retried the way Stripe retries.

- Endpoints: events about a connected account (they carry `account`) go to the Connect
  endpoint, signed with its own secret; the platform's own events go to the account endpoint.
- Signature: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("{t}." + body)>`, one
  `v1` per signing secret (two while a secret is being rolled); fresh for every attempt.
- Order: the first attempts of events about the same object go out in creation order; events
  about different objects go out concurrently, and a retry can land after a later event, as
  with Stripe.
- Retries: after a connection error or a non-2xx answer, wait `retry_base` seconds, doubling
  up to `retry_cap`, for at most `max_attempts` attempts in all.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Sequence

import httpx
from loguru import logger

from tools.stripe_emulator.config import EmulatorConfig
from tools.stripe_emulator.store import Attempt, EventRecord

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def signature_header(body: bytes, secrets: Sequence[str], timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    signatures = [
        "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets
    ]
    return ",".join([f"t={timestamp}", *signatures])


class Deliverer:
    def __init__(self, config: EmulatorConfig) -> None:
        self._config = config
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # Per object id: set once the latest queued event's first attempt has finished.
        self._lanes: dict[str, asyncio.Event] = {}

    def deliver(self, record: EventRecord) -> None:
        """Queue a delivery of `record` (again, for a resend); never waits for it."""
        url, _ = self._config.endpoint(connect=record.account is not None)
        if not url:
            record.status = "disabled"
            return
        record.deliveries += 1
        record.status = "pending"
        previous = self._lanes.get(record.object_id)
        done = asyncio.Event()
        self._lanes[record.object_id] = done
        task = asyncio.create_task(self._run(record, record.deliveries, previous, done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(
        self,
        record: EventRecord,
        delivery: int,
        previous: asyncio.Event | None,
        done: asyncio.Event,
    ) -> None:
        try:
            if previous is not None:
                await previous.wait()
            delivered = await self._attempt(record, delivery, 1)
        finally:
            done.set()
            if self._lanes.get(record.object_id) is done:
                del self._lanes[record.object_id]
        number = 1
        while not delivered and number < self._config.max_attempts:
            record.status = "retrying"
            await asyncio.sleep(self.retry_delay(number))
            number += 1
            delivered = await self._attempt(record, delivery, number)
        record.status = "delivered" if delivered else "failed"
        if not delivered:
            logger.error(
                "webhook {} {}: gave up after {} attempts", record.id, record.event["type"], number
            )

    def retry_delay(self, failed_attempts: int) -> float:
        """Seconds to wait after the `failed_attempts`-th failed attempt."""
        return float(
            min(self._config.retry_base * 2 ** (failed_attempts - 1), self._config.retry_cap)
        )

    async def _attempt(self, record: EventRecord, delivery: int, number: int) -> bool:
        url, secrets = self._config.endpoint(connect=record.account is not None)
        assert url is not None
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._config.delivery_timeout)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Stripe-Signature": signature_header(record.body, secrets, int(time.time())),
        }
        at = time.time()
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            response = await self._client.post(url, content=record.body, headers=headers)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        duration_ms = int((time.monotonic() - started) * 1000)
        record.attempts.append(Attempt(delivery, number, at, status, error, duration_ms))
        delivered = status is not None and 200 <= status < 300
        log = logger.info if delivered else logger.warning
        log(
            "webhook {} {} -> {}: attempt {}/{} {}",
            record.id,
            record.event["type"],
            url,
            number,
            self._config.max_attempts,
            status if status is not None else error,
        )
        return delivered
