"""Rate limits: named policies on Redis through the `limits` library.

A default per-IP policy covers the whole API; routes add their own with `@rate_limited`.
Every response that passed a policy carries the IETF `RateLimit-Policy` and `RateLimit`
headers (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429 with `Retry-After`.
If Redis cannot be reached the limiter fails open: a rate limit is not worth an outage.

Every policy is counted exactly in the shared Redis, so a limit holds however many API
instances run. The windows are `limits`' fixed windows (a window opens with its first
request; its counter expires when it ends), counted by the storage's own atomic
increment-with-expiry, the call `FixedWindowRateLimiter.hit` makes. That call answers the
new count, which the `RateLimit` header needs anyway: one round trip per policy and
request, where `hit` followed by `get_window_stats` would be three. When a window ends is
asked of Redis once per window and process (`WindowEnds`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Literal, ParamSpec, TypeVar

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from loguru import logger
from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.http.errors import TooManyRequests
from backend.http.openapi import carry_docs

Scope = Literal["ip", "user"]
P = ParamSpec("P")
R = TypeVar("R")

# Ended windows are forgotten once this many are remembered (one per client and policy).
WINDOW_ENDS_KEPT = 10_000


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
class WindowEnds:
    """When each counter's current window ends, as this process last learnt it."""

    ends: dict[str, float] = field(default_factory=dict)

    def opened(self, key: str, seconds: int) -> float:
        """This process's request opened the window (its count is 1)."""
        self.ends[key] = end = time.time() + seconds
        return end

    def known(self, key: str) -> float | None:
        end = self.ends.get(key)
        return end if end is not None and end > time.time() else None

    def learnt(self, key: str, end: float) -> float:
        if len(self.ends) >= WINDOW_ENDS_KEPT:
            now = time.time()
            self.ends = {k: e for k, e in self.ends.items() if e > now}
        self.ends[key] = end
        return end


@dataclass
class RateLimiter:
    storage: RedisStorage
    enabled: bool = True
    window_ends: WindowEnds = field(default_factory=WindowEnds)

    @classmethod
    def from_url(cls, redis_url: str, namespace: str, *, enabled: bool) -> RateLimiter:
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        storage = RedisStorage(
            uri, implementation="redispy", key_prefix=f"{namespace}:ratelimit",
            wrap_exceptions=True, socket_timeout=0.5, socket_connect_timeout=0.5,
        )  # fmt: skip
        return cls(storage=storage, enabled=enabled)

    async def consume(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """Count one request against the policy; None when the limiter is off or down."""
        return await self._apply(policy, identifier, hit=True)

    async def peek(self, policy: RatePolicy, identifier: str) -> PolicyState | None:
        """The policy's state without counting a request."""
        return await self._apply(policy, identifier, hit=False)

    async def reset(self, policy: RatePolicy, identifier: str) -> None:
        await self.storage.clear(policy.item.key_for(policy.name, identifier))

    async def _apply(self, policy: RatePolicy, identifier: str, *, hit: bool) -> PolicyState | None:
        if not self.enabled:
            return None
        key = policy.item.key_for(policy.name, identifier)
        try:
            used, ends = await self._count(policy, key, hit=hit)
        except Exception as error:  # noqa: BLE001 - fail open, but say so
            logger.warning("rate limiter unavailable, allowing request: {}", error)
            return None
        limit = policy.item.amount
        reset_after = max(1, math.ceil(ends - time.time()))
        return PolicyState(policy, max(0, limit - used), reset_after, used <= limit)

    async def _count(self, policy: RatePolicy, key: str, *, hit: bool) -> tuple[int, float]:
        """The window's count with this request in it, and when the window ends."""
        if hit:
            used = await self.storage.incr(key, policy.window_seconds)
            if used == 1:
                return used, self.window_ends.opened(key, policy.window_seconds)
        else:
            used = await self.storage.get(key) + 1  # as if this request were counted
            if used == 1:  # no window is open: this request would open one
                return used, time.time() + policy.window_seconds
        return used, self.window_ends.known(key) or await self._learn_end(policy, key)

    async def _learn_end(self, policy: RatePolicy, key: str) -> float:
        end = await self.storage.get_expiry(key)
        if end <= time.time():  # expired since it was counted: a new window is due
            end = time.time() + policy.window_seconds
        return self.window_ends.learnt(key, end)


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
