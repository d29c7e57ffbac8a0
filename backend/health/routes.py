"""`/health/live` (the process answers) and `/health` (its dependencies answer too)."""

from __future__ import annotations

import time
from typing import Any

from sanic import Blueprint, HTTPResponse, Request, json
from sanic_ext import openapi

from backend import db
from backend.health.checks import CHECK_TIMEOUT_SECONDS, Check, run_checks
from backend.health.schemas import EXAMPLE_UNAVAILABLE, HealthOut, LiveOut
from backend.http.openapi import document_response, public
from backend.outbox import service as outbox

bp = Blueprint("health", url_prefix="/health")
STARTED_AT = time.monotonic()


def dependency_checks(request: Request) -> dict[str, Check]:
    ctx = request.app.ctx

    async def database() -> None:
        await db.ping()

    async def redis() -> None:
        await ctx.redis.ping()

    async def broker() -> None:
        await ctx.broker_check.ping()

    async def outbox_backlog() -> dict[str, Any]:
        backlog = await outbox.backlog()
        return {
            "pending": backlog.pending,
            "oldest_pending_age_seconds": round(backlog.oldest_pending_age_seconds, 1),
            "failed": backlog.failed,
        }

    return {"database": database, "redis": redis, "broker": broker, "outbox": outbox_backlog}


@bp.get("/live")
@openapi.definition(summary="Liveness: the process is up", tag="health")
@public()
@document_response(200, LiveOut, "The process answers")
async def live(request: Request) -> HTTPResponse:
    return json({"status": "ok"})


@bp.get("")
@openapi.definition(
    summary="Readiness: database, Redis and the broker answer; reports the outbox backlog",
    description=f"Each check is bounded to {CHECK_TIMEOUT_SECONDS:g} s; a failed or hung one "
    "makes the answer a 503.",
    tag="health",
)
@public()
@document_response(200, HealthOut, "Every dependency answers")
@document_response(503, HealthOut, "A dependency failed", example=EXAMPLE_UNAVAILABLE)
async def ready(request: Request) -> HTTPResponse:
    results = await run_checks(dependency_checks(request))
    healthy = all(result.ok for result in results)
    body: dict[str, Any] = {
        "status": "ok" if healthy else "unavailable",
        "uptime_seconds": round(time.monotonic() - STARTED_AT, 1),
        "checks": {result.name: result.as_dict() for result in results},
    }
    return json(body, status=200 if healthy else 503)
