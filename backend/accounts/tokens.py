"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed).

Access tokens use one pinned algorithm and require every registered claim. Verified
tokens are cached until they expire, so the hot path decodes each token once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import jwt

from backend.accounts.roles import Role
from backend.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "iss", "aud", "jti", "typ", "role", "sid"]
LEEWAY_SECONDS = 30
ACCESS = "access"


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired, or not an access token."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: Role
    session_id: uuid.UUID  # the refresh-token family this token was issued for
    issued_at: float  # millisecond precision, so revocations cut at the exact instant
    expires_at: int


def issue_access_token(
    settings: Settings, user_id: uuid.UUID, role: Role, session_id: uuid.UUID
) -> str:
    now = time.time()
    claims = {
        "sub": str(user_id),
        "iat": round(now, 3),  # RFC 7519 NumericDate may be fractional
        "exp": int(now) + settings.access_token_ttl_seconds,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
        "typ": ACCESS,
        "role": role.value,
        "sid": str(session_id),
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


class AccessTokenVerifier:
    """Verifies access tokens against the current and (during rotation) previous secret."""

    def __init__(self, settings: Settings, cache_size: int = 10_000) -> None:
        self.settings = settings
        self.secrets = [settings.jwt_secret.get_secret_value()]
        if settings.jwt_previous_secret is not None:
            self.secrets.append(settings.jwt_previous_secret.get_secret_value())
        self._cache: OrderedDict[str, AccessClaims] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str) -> AccessClaims:
        cached = self._cache.get(token)
        if cached is not None:
            if cached.expires_at + LEEWAY_SECONDS >= time.time():
                return cached
            del self._cache[token]
        claims = self._decode(token)
        self._cache[token] = claims
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return claims

    def _decode(self, token: str) -> AccessClaims:
        for secret in self.secrets:
            try:
                payload = jwt.decode(
                    token,
                    secret,
                    algorithms=[ALGORITHM],
                    audience=self.settings.jwt_audience,
                    issuer=self.settings.jwt_issuer,
                    leeway=LEEWAY_SECONDS,
                    options={"require": REQUIRED_CLAIMS},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as error:
                raise InvalidToken(str(error)) from None
            return _claims(payload)
        raise InvalidToken("signature verification failed")


def _claims(payload: dict[str, object]) -> AccessClaims:
    if payload.get("typ") != ACCESS:
        raise InvalidToken("not an access token")
    try:
        return AccessClaims(
            user_id=uuid.UUID(str(payload["sub"])),
            role=Role(str(payload["role"])),
            session_id=uuid.UUID(str(payload["sid"])),
            issued_at=float(str(payload["iat"])),
            expires_at=int(str(payload["exp"])),
        )
    except ValueError:
        raise InvalidToken("malformed claims") from None


def new_opaque_token() -> str:
    """A random token for refresh cookies and reset links (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a lookup key that cannot be turned back into the token."""
    return hashlib.sha256(token.encode()).hexdigest()
