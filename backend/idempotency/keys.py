"""`Idempotency-Key` on money-moving POSTs: a retried request takes effect once.

    @bp.post("/api/tips")
    @authenticated()
    @rate_limited(TIPS)
    @idempotent()            # below @authenticated: keys belong to the signed-in user
    @json_body(TipIn)
    async def send_tip(...)

Without the header a request runs as usual. With it, keyed by (user, key):
- the first request runs and its response (status and body) is stored in PostgreSQL;
- the same key with the same request (method, path and JSON body) replays that response,
  marked `Idempotent-Replayed: true`;
- the same key with a different request is a 422 (`idempotency_key_reused`);
- while the first request is still running, the same key is a 409
  (`idempotency_key_in_flight`).
Responses of 500 and above are not stored: the key is released and a retry runs again.
Keys expire after 24 hours (`prune_expired`, run by beat).

Exactly once, even if the process dies: a service whose effect commits in a transaction
calls `remember_reply(status, reply)` inside that transaction, so the stored response
commits with the effect. A claim left by a dead process is taken over once its lease has
run out; `remember_reply` checks the claim is still this request's, so of two requests
that both ran, only one can commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from sanic import HTTPResponse, Request
from sanic import json as json_response
from sanic_ext import openapi
from tortoise import connections, timezone

from backend.http.errors import ApiError, Conflict, ValidationFailed, error_response
from backend.http.openapi import carry_docs, document_errors
from backend.idempotency.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = timedelta(hours=24)
# Longer than any request can run (Sanic answers 503 after 60 s); past it, a claim whose
# request never finished may be taken over by a retry.
LEASE = timedelta(minutes=2)
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, no spaces

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[HTTPResponse]])


@dataclass
class Claim:
    id: int
    lease: uuid.UUID
    completed: bool = False


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


_current_claim: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)

# Insert the key, or take over an expired key or an abandoned claim of the same request.
CLAIM = """
INSERT INTO "idempotency_keys"
    ("user_id", "key", "fingerprint", "lease", "locked_until", "created_at", "expires_at")
VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), now(),
        now() + make_interval(secs => $6))
ON CONFLICT ("user_id", "key") DO UPDATE SET
    "fingerprint" = EXCLUDED."fingerprint",
    "lease" = EXCLUDED."lease",
    "locked_until" = EXCLUDED."locked_until",
    "response_status" = NULL,
    "response_body" = NULL,
    "created_at" = EXCLUDED."created_at",
    "expires_at" = EXCLUDED."expires_at"
WHERE "idempotency_keys"."expires_at" <= now()
   OR ("idempotency_keys"."response_status" IS NULL
       AND "idempotency_keys"."locked_until" <= now()
       AND "idempotency_keys"."fingerprint" = EXCLUDED."fingerprint")
RETURNING "id"
"""


def fingerprint(request: Request) -> str:
    """The request's identity: method, path and body (JSON compared by value)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(_canonical_body(request.body or b""))
    return digest.hexdigest()


def _canonical_body(raw: bytes) -> bytes:
    try:
        parsed = json.loads(raw)
    except ValueError:
        return raw
    return json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()


def _key_of(request: Request) -> str | None:
    key: str | None = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise ValidationFailed(
            details={
                "fields": [
                    {
                        "field": HEADER,
                        "message": "must be 1 to 255 visible ASCII characters",
                        "type": "value_error",
                    }
                ]
            }
        )
    return key


async def claim_key(
    user_id: uuid.UUID, key: str, request_fingerprint: str
) -> Claim | StoredResponse:
    """Claim the key for this request, or return the response already stored for it."""
    for _ in range(2):  # twice: a key released between our two statements is free again
        lease = uuid.uuid4()
        arguments = [user_id, key, request_fingerprint, lease]
        rows = await connections.get("default").execute_query_dict(
            CLAIM, [*arguments, LEASE.total_seconds(), KEY_TTL.total_seconds()]
        )
        if rows:
            return Claim(rows[0]["id"], lease)
        existing = await IdempotencyKey.get_or_none(user_id=user_id, key=key)
        if existing is not None:
            return _answer_for(existing, request_fingerprint)
    raise _in_flight()


def _answer_for(existing: IdempotencyKey, request_fingerprint: str) -> StoredResponse:
    if existing.fingerprint != request_fingerprint:
        raise ValidationFailed(
            "This Idempotency-Key was already used for a different request.",
            code="idempotency_key_reused",
        )
    if existing.response_status is None:
        raise _in_flight()
    return StoredResponse(existing.response_status, existing.response_body)


def _in_flight() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still in progress; retry later.",
        code="idempotency_key_in_flight",
    )


async def _store(claim: Claim, status: int, body: Any) -> bool:
    stored = await IdempotencyKey.filter(
        id=claim.id, lease=claim.lease, response_status__isnull=True
    ).update(response_status=status, response_body=body, locked_until=None)
    return stored == 1


async def remember_reply(status: int, reply: BaseModel) -> None:
    """Store the reply of the current idempotent request in the caller's transaction.

    Call it inside the transaction that commits the request's effect; it does nothing
    for a request without `Idempotency-Key`. If another request took the key over, it
    raises a 409 and the caller's transaction rolls back."""
    current = _current_claim.get()
    if current is None:
        return
    if not await _store(current, status, reply.model_dump(mode="json")):
        raise _in_flight()
    current.completed = True


async def _release(claim: Claim) -> None:
    await IdempotencyKey.filter(
        id=claim.id, lease=claim.lease, response_status__isnull=True
    ).delete()


def _replay(stored: StoredResponse) -> HTTPResponse:
    return json_response(stored.body, status=stored.status, headers={REPLAYED_HEADER: "true"})


def _error_response(request: Request, error: ApiError) -> HTTPResponse:
    return error_response(
        request, error.status, error.code, error.message, error.details, error.headers
    )


def _body_of(response: HTTPResponse) -> Any:
    return json.loads(response.body) if response.body else None


async def _run_claimed(
    claim: Claim, request: Request, run: Callable[[], Awaitable[HTTPResponse]]
) -> HTTPResponse:
    token = _current_claim.set(claim)
    try:
        response = await run()
    except ApiError as error:
        if error.status >= 500:
            await _release(claim)
            raise
        response = _error_response(request, error)
    except Exception:
        await _release(claim)
        raise
    finally:
        _current_claim.reset(token)
    if response.status >= 500:
        await _release(claim)
    elif not claim.completed:
        await _store(claim, response.status, _body_of(response))
    return response


def idempotent() -> Callable[[Handler], Handler]:
    """Honour `Idempotency-Key` on this route (it must be authenticated)."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            key = _key_of(request)
            if key is None:
                return await handler(request, *args, **kwargs)
            user = request.ctx.user
            claimed = await claim_key(user.id, key, fingerprint(request))
            if isinstance(claimed, StoredResponse):
                return _replay(claimed)
            return await _run_claimed(claimed, request, lambda: handler(request, *args, **kwargs))

        documented = document_errors([409, 422])(carry_docs(handler, cast(Handler, wrapper)))
        described: Handler = openapi.parameter(
            HEADER,
            str,
            "header",
            description="Optional. Retrying with the same key replays the first response "
            "instead of acting twice (keys last 24 hours).",
        )(documented)
        return described

    return decorator


async def prune_expired() -> int:
    """Delete expired keys; returns how many went."""
    return await IdempotencyKey.filter(expires_at__lte=timezone.now()).delete()
