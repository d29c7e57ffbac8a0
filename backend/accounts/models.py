"""Accounts: users, the refresh-token families of their sessions, password resets."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.accounts.roles import Role


class User(Model):
    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)  # stored lower-cased
    handle = fields.CharField(max_length=30, unique=True)  # stored lower-cased
    display_name = fields.CharField(max_length=60)
    role = fields.CharEnumField(Role, max_length=16, default=Role.FAN)
    bio = fields.TextField(default="")
    # Public URL of the avatar thumbnail (content-addressed, so it can be stored and cached).
    avatar_url = fields.CharField(max_length=300, null=True)
    password_hash = fields.CharField(max_length=255)
    # Access tokens issued before this instant are refused (logout-all, password change).
    sessions_valid_after = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"


class RefreshToken(Model):
    """One link of a session's rotation chain; `family_id` ties a login's tokens together."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    family_id = fields.UUIDField(db_index=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    family_expires_at = fields.DatetimeField()
    rotated_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "refresh_tokens"


class PasswordReset(Model):
    """A reset request; the worker issues its single-use token when it sends the email."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True, null=True)
    requested_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_resets"
