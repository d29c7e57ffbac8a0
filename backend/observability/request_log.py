"""One access-log line and one metrics sample per request, written as it is answered.

The line is written and flushed before the response leaves, so a crash loses none. In
production it is the JSON line loguru's sink writes, built and written without a loguru
record (which would cost more than the rest of the line: see docs/performance.md); in
development it goes through loguru. The metrics are counted at once, so `/metrics`, in
this process or another one sharing PROMETHEUS_MULTIPROC_DIR, misses no request.
"""

from __future__ import annotations

import time
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from loguru import logger
from sanic import Request
from sanic.response import BaseHTTPResponse

from backend.observability.logging import json_line, json_output, write_json_line
from backend.observability.metrics import count_request

UNLOGGED_PREFIXES = ("/health", "/metrics")
LOGGER_NAME = "backend.access"
access_logger = logger.bind(logger_name=LOGGER_NAME)


def log_request(
    request: Request, response: BaseHTTPResponse, request_id: str, *, metrics: bool
) -> None:
    """Count `request` and write its access line (health checks and scrapes are counted,
    not logged)."""
    started: float = getattr(request.ctx, "started", time.perf_counter())
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    method, path, status = request.method, request.path, response.status
    if metrics:
        route = request.route  # a metrics label must be the route's pattern, not the path
        pattern = f"/{route.path}" if route is not None else "unmatched"
        count_request(method, pattern, status, duration_ms / 1000)
    if path.startswith(UNLOGGED_PREFIXES):
        return
    user = getattr(request.ctx, "user", None)
    fields: dict[str, Any] = {
        "request_id": request_id,
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        "user_id": str(user.id) if user is not None else None,
    }
    message = f"{method} {path} {status} {duration_ms}ms"
    if json_output.enabled:
        fields = {"process": json_output.process, **fields}
        line = json_line(datetime.now(UTC), "INFO", message, LOGGER_NAME, fields)
        with suppress(OSError, ValueError):  # a closed or broken stdout fails no request
            write_json_line(line)
    else:
        access_logger.bind(**fields).info(message)  # no arguments: braces in a path stay
