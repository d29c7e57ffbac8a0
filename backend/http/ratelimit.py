"""Rate limits: named policies on Redis through the `limits` library.

A default per-IP policy covers the whole API; routes add their own with `@rate_limited`.
Every response that passed a policy carries the IETF `RateLimit-Policy` and `RateLimit`
headers (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429 with `Retry-After`.
If Redis cannot be reached the limiter fails open: a rate limit is not worth an outage.

Every policy is counted exactly, in Redis, by `limits`' fixed-window strategy (a window
opens with its first request and its counter expires when it ends), so the limit holds
across any number of API instances. Keys carry the `REDIS_NAMESPACE` prefix.
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
from limits.aio.strategies import FixedWindowRateLimiter
from loguru import logger
from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.http.errors import TooManyRequests
from backend.http.openapi import carry_docs

Scope = Literal["ip", "user"]
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RatePolicy:
    """`rate` uses the `limits` notation, for example `5/15 minutes` or `100/hour`."""

    name: str
    rate: str
    scope: Scope = "ip"

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
    strategy: FixedWindowRateLimiter
    enabled: bool = True

    @classmethod
    def from_url(cls, redis_url: str, namespace: str, *, enabled: bool) -> RateLimiter:
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        storage = RedisStorage(
            uri, implementation="redispy", key_prefix=f"{namespace}:ratelimit",
            wrap_exceptions=True, socket_timeout=0.5, socket_connect_timeout=0.5,
        )  # fmt: skip
        return cls(strategy=FixedWindowRateLimiter(storage), enabled=enabled)

    async def consume(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """Count one request against the policy; None when the limiter is off or down."""
        return await self._apply(policy, identifier, hit=True)

    async def peek(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """The policy's state without counting a request."""
        return await self._apply(policy, identifier, hit=False)

    async def reset(self, policy: RatePolicy, identifier: str) -> None:
        await self.strategy.clear(policy.item, policy.name, identifier)

    async def _apply(self, policy: RatePolicy, identifier: str, *, hit: bool) -> PolicyState | None:
        if not self.enabled:
            return None
        try:
            if hit:
                allowed = await self.strategy.hit(policy.item, policy.name, identifier)
            stats = await self.strategy.get_window_stats(policy.item, policy.name, identifier)
        except Exception as error:  # noqa: BLE001 - fail open, but say so
            logger.warning("rate limiter unavailable, allowing request: {}", error)
            return None
        remaining = stats.remaining
        if not hit:  # as if this request were counted
            allowed = remaining > 0
            remaining = max(0, remaining - 1)
        seconds_left = stats.reset_time - time.time()
        reset_after = math.ceil(seconds_left) if seconds_left > 0 else policy.window_seconds
        return PolicyState(policy, remaining, reset_after, allowed)


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
