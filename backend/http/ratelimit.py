"""Rate limits: named policies on Redis through the `limits` library.

A default per-IP policy covers the whole API; routes add their own with `@rate_limited`.
Every response that passed a policy carries the IETF `RateLimit-Policy` and `RateLimit`
headers (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429 with `Retry-After`.
If Redis cannot be reached the limiter fails open: a rate limit is not worth an outage.

Windows are fixed and aligned to the clock (a policy of N per minute counts in calendar
minutes), so a window's end is known without asking Redis: counting a request is one
atomic increment. Policies with `exact=False` (the default per-IP one) are counted in
process and flushed to Redis in batches (see `ratelimit_batch`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Literal, ParamSpec, TypeVar

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from loguru import logger
from redis.asyncio import Redis
from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.http.errors import TooManyRequests
from backend.http.openapi import carry_docs
from backend.http.ratelimit_batch import BatchedCounts

Scope = Literal["ip", "user"]
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RatePolicy:
    """`rate` uses the `limits` notation, for example `5/15 minutes` or `100/hour`."""

    name: str
    rate: str
    scope: Scope = "ip"
    exact: bool = True  # False: counted in-process, shared through Redis every 100 ms

    @cached_property
    def item(self) -> RateLimitItem:
        return parse(self.rate)

    @cached_property
    def window_seconds(self) -> int:
        return int(self.item.get_expiry())

    @cached_property
    def header_policy(self) -> str:
        return f'"{self.name}";q={self.item.amount};w={self.window_seconds}'


@dataclass(frozen=True)
class PolicyState:
    policy: RatePolicy
    remaining: int
    reset_after: int
    allowed: bool


@dataclass
class RateLimiter:
    storage: RedisStorage
    batched: BatchedCounts
    enabled: bool = True

    @classmethod
    def from_url(cls, redis_url: str, namespace: str, *, enabled: bool) -> RateLimiter:
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        prefix = f"{namespace}:ratelimit"
        storage = RedisStorage(
            uri, implementation="redispy", key_prefix=prefix, wrap_exceptions=True,
            socket_timeout=0.5, socket_connect_timeout=0.5,
        )  # fmt: skip
        redis = Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        batched = BatchedCounts(redis, prefix)
        return cls(storage=storage, batched=batched, enabled=enabled)

    async def consume(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """Count one request against the policy; None when the limiter is off or down."""
        return await self._apply(policy, identifier, hit=True)

    async def peek(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """The policy's state without counting a request."""
        return await self._apply(policy, identifier, hit=False)

    async def reset(self, policy: RatePolicy, identifier: str) -> None:
        key, _ = _window_key(policy, identifier)
        self.batched.forget(key)
        await self.storage.clear(key)

    async def close(self) -> None:
        await self.batched.close()

    async def _apply(self, policy: RatePolicy, identifier: str, *, hit: bool) -> PolicyState | None:
        if not self.enabled:
            return None
        key, seconds_left = _window_key(policy, identifier)
        if not policy.exact:
            used = self._count_batched(policy, key, seconds_left, hit=hit)
        else:
            try:
                used = await self._count_exactly(policy, key, hit=hit)
            except Exception as error:  # noqa: BLE001 - fail open, but say so
                logger.warning("rate limiter unavailable, allowing request: {}", error)
                return None
        limit = policy.item.amount
        return PolicyState(policy, max(0, limit - used), math.ceil(seconds_left), used <= limit)

    async def _count_exactly(self, policy: RatePolicy, key: str, *, hit: bool) -> int:
        if hit:
            return await self.storage.incr(key, policy.window_seconds)
        return await self.storage.get(key) + 1  # as if this request were counted

    def _count_batched(
        self, policy: RatePolicy, key: str, seconds_left: float, *, hit: bool
    ) -> int:
        if hit:
            return self.batched.add(key, policy.window_seconds, time.time() + seconds_left)
        return self.batched.used(key) + 1


def _window_key(policy: RatePolicy, identifier: str) -> tuple[str, float]:
    """The counter of the clock-aligned window `now` falls in, and the seconds it has left."""
    length = policy.window_seconds
    now = time.time()
    index = int(now // length)
    return policy.item.key_for(policy.name, identifier, str(index)), (index + 1) * length - now


def client_ip(request: Request) -> str:
    return str(request.remote_addr or request.ip or "unknown")


def identifier_for(request: Request, policy: RatePolicy) -> str:
    user = getattr(request.ctx, "user", None)
    if policy.scope == "user" and user is not None:
        return f"user:{user.id}"
    return f"ip:{client_ip(request)}"


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.ctx.rate_limiter
    return limiter


def _record(request: Request, state: PolicyState) -> None:
    states: list[PolicyState] = getattr(request.ctx, "rate_states", [])
    states.append(state)
    request.ctx.rate_states = states


def refuse(state: PolicyState) -> TooManyRequests:
    return TooManyRequests(
        details={"policy": state.policy.name, "retry_after": state.reset_after},
        headers={"Retry-After": str(max(1, state.reset_after))},
    )


async def enforce(request: Request, policy: RatePolicy, identifier: str | None = None) -> None:
    """Count this request against `policy`; raise a 429 when the window is exhausted."""
    key = identifier or identifier_for(request, policy)
    state = await _limiter(request).consume(policy, key)
    if state is None:
        return
    _record(request, state)
    if not state.allowed:
        raise refuse(state)


async def check(request: Request, policy: RatePolicy, identifier: str) -> None:
    """Refuse when `policy` is already exhausted, without counting this request.

    For policies that count only failures (such as failed logins): `check` first, then
    `count` when the attempt fails.
    """
    state = await _limiter(request).peek(policy, identifier)
    if state is None:
        return
    _record(request, state)
    if not state.allowed:
        raise refuse(state)


async def count(request: Request, policy: RatePolicy, identifier: str) -> None:
    await _limiter(request).consume(policy, identifier)


def rate_limited(
    *policies: RatePolicy,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Attach policies to a route; put it below `@authenticated` for per-user policies."""

    def decorator(handler: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @wraps(handler)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            assert isinstance(request, Request)
            for policy in policies:
                await enforce(request, policy)
            return await handler(*args, **kwargs)

        wrapper.__rate_policies__ = policies  # type: ignore[attr-defined]
        return carry_docs(handler, wrapper)

    return decorator


def add_rate_limit_headers(request: Request, response: BaseHTTPResponse) -> None:
    states: list[PolicyState] = getattr(request.ctx, "rate_states", [])
    if not states:
        return
    response.headers["RateLimit-Policy"] = ", ".join(s.policy.header_policy for s in states)
    response.headers["RateLimit"] = ", ".join(
        f'"{s.policy.name}";r={s.remaining};t={s.reset_after}' for s in states
    )
