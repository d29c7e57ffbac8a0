"""Per-request plumbing, in one request and one response middleware (Sanic's cost is per
middleware, and this runs on every call): request id, the default rate limit, then the
request id, rate-limit and security headers, metrics and one access-log line."""

from __future__ import annotations

import time

from loguru import logger
from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.http.ratelimit import RatePolicy, add_rate_limit_headers, enforce
from backend.http.request_id import HEADER, ensure_request_id
from backend.http.sanic_types import App
from backend.http.security_headers import add_security_headers
from backend.observability.context import user_id_var
from backend.observability.metrics import observe

UNLOGGED_PREFIXES = ("/health", "/metrics")
# Stripe delivers in bursts from a few addresses; those calls are signed, not anonymous.
NOT_PER_IP_LIMITED = ("/api/webhooks/",)


def install_middleware(
    app: App, *, default_policy: RatePolicy, hsts: bool, metrics: bool, csp: str
) -> None:
    async def on_request(request: Request) -> None:
        request.ctx.started = time.perf_counter()
        ensure_request_id(request)
        user_id_var.set(None)
        path = request.path
        limited = path.startswith("/api") and not path.startswith(NOT_PER_IP_LIMITED)
        if limited and request.method != "OPTIONS":
            await enforce(request, default_policy)

    async def on_response(request: Request, response: BaseHTTPResponse) -> None:
        response.headers[HEADER] = ensure_request_id(request)
        add_rate_limit_headers(request, response)
        add_security_headers(response, path=request.path, hsts=hsts, csp=csp)
        log_access(request, response)
        if metrics:
            observe(request, response)

    app.register_middleware(on_request, "request")
    app.register_middleware(on_response, "response")


def log_access(request: Request, response: BaseHTTPResponse) -> None:
    if request.path.startswith(UNLOGGED_PREFIXES):
        return
    started: float = getattr(request.ctx, "started", time.perf_counter())
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    user = getattr(request.ctx, "user", None)
    logger.bind(
        method=request.method,
        path=request.path,
        status=response.status,
        duration_ms=duration_ms,
        user_id=str(user.id) if user is not None else None,
    ).info("{} {} {} {}ms", request.method, request.path, response.status, duration_ms)
