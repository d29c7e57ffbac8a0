"""Accounts: sign-up, credentials, profile, password change and reset."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts import passwords, sessions
from backend.accounts.models import PasswordReset, User
from backend.accounts.roles import Role
from backend.accounts.schemas import ProfilePatch, SignupIn
from backend.accounts.tokens import new_opaque_token, token_hash
from backend.http.errors import Conflict, field_error
from backend.mail.sender import send_email
from backend.outbox.transaction import transaction
from backend.settings import Settings

SEND_PASSWORD_RESET = "accounts.send_password_reset"  # noqa: S105 - a task name


def _check_password_policy(password: str, *, email: str, handle: str, field: str) -> None:
    problem = passwords.policy_problem(password, email=email, handle=handle)
    if problem:
        raise field_error(field, f"Password {problem}.")


async def signup(data: SignupIn) -> User:
    _check_password_policy(data.password, email=data.email, handle=data.handle, field="password")
    password_hash = await passwords.hash_password(data.password)
    try:
        async with in_transaction():
            return await User.create(
                email=data.email,
                handle=data.handle,
                display_name=data.display_name,
                role=Role(data.role),
                password_hash=password_hash,
            )
    except IntegrityError:
        raise await _taken(email=data.email, handle=data.handle) from None


async def _taken(*, email: str | None = None, handle: str | None = None) -> Conflict:
    if email and await User.filter(email=email).exists():
        return Conflict("An account with this email already exists.", details={"field": "email"})
    return Conflict("This handle is taken.", details={"field": "handle"})


async def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None; unknown emails cost the same time."""
    user = await User.get_or_none(email=email)
    if not await passwords.verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash_password(password)
        await user.save(update_fields=["password_hash", "updated_at"])
    return user


async def update_profile(user: User, patch: ProfilePatch, *, avatar_url: str | None) -> User:
    """Apply the patch; `avatar_url` is the picture chosen by `patch.avatar_media_id`
    (resolved by the caller, which knows media), used only when that field was sent."""
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    changes.pop("avatar_media_id", None)
    if "avatar_media_id" in patch.model_fields_set:
        changes["avatar_url"] = avatar_url
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        await user.save(update_fields=[*changes, "updated_at"])
    except IntegrityError:
        raise await _taken(handle=changes.get("handle")) from None
    return user


async def change_password(
    user: User, current: str, new: str, *, keep_session: uuid.UUID | None
) -> None:
    if not await passwords.verify_password(user.password_hash, current):
        raise field_error("current_password", "The current password is not correct.")
    _check_password_policy(new, email=user.email, handle=user.handle, field="new_password")
    user.password_hash = await passwords.hash_password(new)
    async with in_transaction():
        await user.save(update_fields=["password_hash", "updated_at"])
        await sessions.revoke_all(user.id, except_family=keep_session)


async def request_password_reset(email: str) -> None:
    """Queue a reset email for a known address; say nothing either way."""
    user = await User.get_or_none(email=email)
    if user is None:
        return
    async with transaction() as tx:
        reset = await PasswordReset.create(user=user)
        await tx.enqueue(SEND_PASSWORD_RESET, reset.id)


async def send_password_reset(settings: Settings, reset_id: int) -> None:
    """Issue the reset's single-use token and email the link (run by the worker, once)."""
    async with in_transaction():
        reset = (
            await PasswordReset.filter(id=reset_id, sent_at__isnull=True)
            .select_for_update()
            .prefetch_related("user")
            .first()
        )
        if reset is None:
            return  # already sent (a redelivery) or gone
        token = new_opaque_token()
        now = timezone.now()
        reset.token_hash = token_hash(token)
        reset.expires_at = now + timedelta(seconds=settings.password_reset_ttl_seconds)
        reset.sent_at = now
        await reset.save(update_fields=["token_hash", "expires_at", "sent_at"])
        # Sent inside the transaction: if mailing fails, the token is never stored and the
        # retry issues a fresh one.
        await send_email(
            settings,
            to=reset.user.email,
            subject="Reset your Digis password",
            text=_reset_text(settings, reset.user.display_name, token),
        )


def _reset_text(settings: Settings, name: str, token: str) -> str:
    link = f"{str(settings.frontend_url).rstrip('/')}/reset-password?token={token}"
    minutes = settings.password_reset_ttl_seconds // 60
    return (
        f"Hello {name},\n\n"
        f"Someone asked to reset the password of your Digis account. If it was you, open\n"
        f"this link within {minutes} minutes to choose a new password:\n\n{link}\n\n"
        f"The link works once. If you did not ask, ignore this email; nothing changes.\n"
    )


async def confirm_password_reset(token: str, new_password: str) -> None:
    now = timezone.now()
    async with in_transaction():
        reset = (
            await PasswordReset.filter(token_hash=token_hash(token))
            .select_for_update()
            .prefetch_related("user")
            .first()
        )
        if reset is None or reset.used_at is not None or not reset.expires_at:
            raise field_error("token", "This reset link is invalid or was already used.")
        if reset.expires_at <= now:
            raise field_error("token", "This reset link has expired; ask for a new one.")
        user = reset.user
        _check_password_policy(
            new_password, email=user.email, handle=user.handle, field="new_password"
        )
        user.password_hash = await passwords.hash_password(new_password)
        await user.save(update_fields=["password_hash", "updated_at"])
        await PasswordReset.filter(user_id=user.id, used_at__isnull=True).update(used_at=now)
        await sessions.revoke_all(user.id)
