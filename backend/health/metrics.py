"""`/metrics` for Prometheus (optionally behind a bearer token)."""

from __future__ import annotations

import hmac

from sanic import Blueprint, HTTPResponse, Request, raw
from sanic_ext import openapi

from backend.http.errors import Unauthorized
from backend.observability import metrics
from backend.outbox import service as outbox

bp = Blueprint("metrics")


@bp.get("/metrics")
@openapi.exclude()
async def prometheus_metrics(request: Request) -> HTTPResponse:
    token = request.app.ctx.settings.metrics_token
    if token is not None:
        presented = (request.headers.get("authorization") or "").removeprefix("Bearer ")
        if not hmac.compare_digest(presented.encode(), token.get_secret_value().encode()):
            raise Unauthorized()
    backlog = await outbox.backlog()
    metrics.OUTBOX_PENDING.set(backlog.pending)
    metrics.OUTBOX_OLDEST.set(backlog.oldest_pending_age_seconds)
    metrics.OUTBOX_FAILED.set(backlog.failed)
    body, content_type = metrics.exposition()
    return raw(body, content_type=content_type)
