"""`/health/live` (the process answers) and `/health` (its dependencies answer too)."""

from __future__ import annotations

import time
from typing import Any

from sanic import Blueprint, HTTPResponse, Request, json
from sanic_ext import openapi

from backend import db
from backend.health.checks import Check, run_checks
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
        await ctx.broker_redis.ping()

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
async def live(request: Request) -> HTTPResponse:
    return json({"status": "ok"})


@bp.get("")
@openapi.definition(
    summary="Readiness: database, Redis and the broker answer; reports the outbox backlog",
    tag="health",
)
async def ready(request: Request) -> HTTPResponse:
    results = await run_checks(dependency_checks(request))
    healthy = all(result.ok for result in results)
    body: dict[str, Any] = {
        "status": "ok" if healthy else "unavailable",
        "uptime_seconds": round(time.monotonic() - STARTED_AT, 1),
        "checks": {result.name: result.as_dict() for result in results},
    }
    return json(body, status=200 if healthy else 503)
