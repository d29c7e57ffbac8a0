"""Sentry for the API and the worker, on only when SENTRY_DSN is set."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.sanic import SanicIntegration

from backend.observability.context import request_id_var
from backend.settings import Settings

SCRUBBED_HEADERS = {"authorization", "cookie", "set-cookie", "stripe-signature"}


def init_sentry(settings: Settings, *, component: str) -> bool:
    if settings.sentry_dsn is None:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.app_env.value,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        integrations=[
            SanicIntegration(),
            CeleryIntegration(propagate_traces=True),
            LoggingIntegration(event_level=None),
        ],
        before_send=_tag_and_scrub,
    )
    sentry_sdk.set_tag("component", component)
    return True


def _tag_and_scrub(event: Any, hint: dict[str, Any]) -> Any:
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    headers = event.get("request", {}).get("headers")
    if isinstance(headers, dict):
        for name in list(headers):
            if name.lower() in SCRUBBED_HEADERS:
                headers[name] = "[scrubbed]"
    return event
