"""What the health routes answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_CHECK: dict[str, Any] = {"ok": True, "latency_ms": 0.82}
EXAMPLE_CHECKS: dict[str, Any] = {
    "database": {"ok": True, "latency_ms": 1.94},
    "redis": EXAMPLE_CHECK,
    "broker": {"ok": True, "latency_ms": 0.77},
    "outbox": {
        "ok": True,
        "latency_ms": 2.31,
        "pending": 0,
        "oldest_pending_age_seconds": 0.0,
        "failed": 0,
    },
}
EXAMPLE_HEALTHY: dict[str, Any] = {
    "status": "ok",
    "uptime_seconds": 86_412.3,
    "checks": EXAMPLE_CHECKS,
}
EXAMPLE_UNAVAILABLE: dict[str, Any] = {
    "status": "unavailable",
    "uptime_seconds": 86_412.3,
    "checks": {
        **EXAMPLE_CHECKS,
        "redis": {"ok": False, "latency_ms": 1500.4, "error": "timed out"},
    },
}


class LiveOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"]


class CheckOut(BaseModel):
    """One dependency's check; a check may add its own figures (the outbox its backlog)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [EXAMPLE_CHECK]})

    ok: bool
    latency_ms: float
    error: str | None = Field(default=None, description="Why it failed (absent when ok)")


class HealthOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_HEALTHY]})

    status: Literal["ok", "unavailable"]
    uptime_seconds: float
    checks: dict[str, CheckOut] = Field(description="database, redis, broker, outbox")
