"""Who is calling: bearer access tokens only (no API call is authenticated by a cookie).

    @bp.get("/me")
    @authenticated()                 # any signed-in user
    @authenticated(Role.CREATOR)     # only creators (403 for others)

Missing or invalid credentials are a 401 with `WWW-Authenticate: Bearer`; a signed-in
user without the role is a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar, cast

from sanic import Request
from sanic_ext import openapi

from backend import db
from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.accounts.tokens import AccessClaims, AccessTokenVerifier, InvalidToken
from backend.http.errors import Forbidden, Unauthorized
from backend.http.openapi import carry_docs, document_errors
from backend.observability.context import user_id_var

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Any]])


def bearer_token(request: Request) -> str | None:
    header: str = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _verifier(request: Request) -> AccessTokenVerifier:
    verifier: AccessTokenVerifier = request.app.ctx.token_verifier
    return verifier


# Every authenticated request reads its user: one prepared statement, no query building.
USER_BY_ID = 'SELECT * FROM "users" WHERE "id" = $1'


async def _user_by_id(user_id: uuid.UUID) -> User | None:
    row = await db.fetch_row(USER_BY_ID, [user_id])
    return User._init_from_db(**row) if row is not None else None


async def _user_for(claims: AccessClaims) -> User:
    user = await _user_by_id(claims.user_id)
    if user is None:
        raise Unauthorized("This account no longer exists.", code="invalid_token")
    valid_after = user.sessions_valid_after
    if valid_after is not None and claims.issued_at < valid_after.timestamp():
        raise Unauthorized("This session has been signed out.", code="invalid_token")
    return user


async def resolve_user(request: Request, *, required: bool) -> User | None:
    """Authenticate the request's bearer token (if any) and remember the user on it."""
    token = bearer_token(request)
    if token is None:
        if required:
            raise Unauthorized()
        return None
    try:
        claims = _verifier(request).verify(token)
    except InvalidToken:
        raise Unauthorized(
            "The access token is invalid or expired.", code="invalid_token"
        ) from None
    user = await _user_for(claims)
    request.ctx.user = user
    request.ctx.session_id = claims.session_id
    user_id_var.set(str(user.id))
    return user


def authenticated(*roles: Role) -> Callable[[Handler], Handler]:
    """Require a valid bearer token, and one of `roles` when given."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Any:
            user = await resolve_user(request, required=True)
            assert user is not None
            if roles and user.role not in roles:
                raise Forbidden(f"Only {' or '.join(r.value for r in roles)} accounts can do this.")
            return await handler(request, *args, **kwargs)

        documented = carry_docs(handler, cast(Handler, wrapper))
        documented = document_errors([401, 403] if roles else [401])(documented)
        secured: Handler = openapi.secured("bearer")(documented)
        return secured

    return decorator


def signed_in_user(request: Request) -> User:
    user: User = request.ctx.user
    return user
