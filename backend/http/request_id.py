"""Request ids: accept a well-formed incoming `X-Request-ID`, otherwise generate one."""

from __future__ import annotations

import re

from sanic import Request

from backend.observability.context import request_id_var
from backend.random_ids import prng_uuid4

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def new_request_id() -> str:
    return prng_uuid4()


def ensure_request_id(request: Request) -> str:
    """The request's id, settled on first use (error handlers may run before middleware)."""
    request_id: str | None = getattr(request.ctx, "request_id", None)
    if request_id is None:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _WELL_FORMED.match(incoming) else new_request_id()
        request.ctx.request_id = request_id
    request_id_var.set(request_id)
    return request_id
