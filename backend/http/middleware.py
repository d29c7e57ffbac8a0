"""Per-request plumbing, in one request and one response middleware (Sanic's cost is per
middleware, and this runs on every call): request id, the default rate limit, then the
request id, rate-limit and security headers, the access line and the metrics."""

from __future__ import annotations

import time

from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.http.ratelimit import RatePolicy, add_rate_limit_headers, enforce
from backend.http.request_id import HEADER, ensure_request_id
from backend.http.sanic_types import App
from backend.http.security_headers import add_security_headers
from backend.observability.context import user_id_var
from backend.observability.request_log import log_request

# Stripe delivers in bursts from a few addresses; those calls are signed, not anonymous.
NOT_PER_IP_LIMITED = ("/api/webhooks/",)


def install_middleware(
    app: App, *, default_policy: RatePolicy | None, hsts: bool, metrics: bool, csp: str
) -> None:
    async def on_request(request: Request) -> None:
        request.ctx.started = time.perf_counter()
        ensure_request_id(request)
        user_id_var.set(None)
        path = request.path
        limited = path.startswith("/api") and not path.startswith(NOT_PER_IP_LIMITED)
        if default_policy and limited and request.method != "OPTIONS":
            await enforce(request, default_policy)

    async def on_response(request: Request, response: BaseHTTPResponse) -> None:
        request_id = response.headers[HEADER] = ensure_request_id(request)
        add_rate_limit_headers(request, response)
        add_security_headers(response, path=request.path, hsts=hsts, csp=csp)
        log_request(request, response, request_id, metrics=metrics)

    app.register_middleware(on_request, "request")
    app.register_middleware(on_response, "response")
