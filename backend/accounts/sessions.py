"""Sessions: a login starts a refresh-token family; every refresh rotates its token.

Presenting a token that was already rotated means it leaked (or two clients raced): the
whole family is revoked. Families slide by REFRESH_TOKEN_TTL_DAYS per use and end after
REFRESH_FAMILY_MAX_DAYS whatever happens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from loguru import logger
from tortoise import timezone
from tortoise.transactions import in_transaction

from backend.accounts.models import RefreshToken, User
from backend.accounts.tokens import new_opaque_token, token_hash
from backend.settings import Settings


class SessionRejected(Exception):
    """The refresh token is unknown, expired, revoked or reused."""


@dataclass(frozen=True)
class IssuedRefresh:
    token: str
    family_id: uuid.UUID
    max_age_seconds: int


async def start_family(settings: Settings, user: User) -> IssuedRefresh:
    now = timezone.now()
    family_expires = now + timedelta(days=settings.refresh_family_max_days)
    return await _issue(settings, user.id, uuid.uuid4(), now, family_expires)


async def rotate(settings: Settings, presented: str) -> tuple[User, IssuedRefresh]:
    """Exchange a refresh token for the next one of its family."""
    now = timezone.now()
    reused_family: uuid.UUID | None = None
    async with in_transaction():
        current = (
            await RefreshToken.filter(token_hash=token_hash(presented)).select_for_update().first()
        )
        if current is None or current.revoked_at is not None:
            raise SessionRejected("unknown or revoked refresh token")
        if current.rotated_at is not None:
            reused_family = current.family_id
        elif min(current.expires_at, current.family_expires_at) <= now:
            raise SessionRejected("refresh token expired")
        else:
            current.rotated_at = now
            await current.save(update_fields=["rotated_at"])
            user = await User.get(id=current.user_id)  # type: ignore[attr-defined]
            issued = await _issue(
                settings, user.id, current.family_id, now, current.family_expires_at
            )
            return user, issued
    # Reuse: revoke the family in its own committed transaction, then refuse.
    await revoke_family(reused_family)
    logger.warning("refresh token reuse detected; session family {} revoked", reused_family)
    raise SessionRejected("refresh token reuse")


async def family_of(presented: str) -> uuid.UUID | None:
    token = await RefreshToken.get_or_none(token_hash=token_hash(presented))
    return token.family_id if token else None


async def revoke_family(family_id: uuid.UUID) -> int:
    return await RefreshToken.filter(family_id=family_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


async def revoke_all(user_id: uuid.UUID, *, except_family: uuid.UUID | None = None) -> int:
    """Revoke every session of the user but `except_family`, and every access token issued
    so far (the kept session gets a new access token at its next refresh)."""
    now = timezone.now()
    query = RefreshToken.filter(user_id=user_id, revoked_at__isnull=True)
    if except_family is not None:
        query = query.exclude(family_id=except_family)
    revoked = await query.update(revoked_at=now)
    await User.filter(id=user_id).update(sessions_valid_after=now)
    return revoked


async def _issue(
    settings: Settings,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    now: datetime,
    family_expires: datetime,
) -> IssuedRefresh:
    token = new_opaque_token()
    expires = min(now + timedelta(days=settings.refresh_token_ttl_days), family_expires)
    await RefreshToken.create(
        user_id=user_id,
        family_id=family_id,
        token_hash=token_hash(token),
        expires_at=expires,
        family_expires_at=family_expires,
    )
    return IssuedRefresh(token, family_id, max(0, int((expires - now).total_seconds())))
