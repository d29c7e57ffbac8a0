"""What the accounts routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from backend.accounts.models import Role, User
from backend.accounts.passwords import MAX_LENGTH, MIN_LENGTH

HANDLE_PATTERN = r"^[A-Za-z0-9_]{3,30}$"


def _lower(value: str) -> str:
    return value.strip().lower()


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    handle: str
    display_name: str
    role: Role
    bio: str
    avatar_url: str | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User, avatar_url: str | None = None) -> UserOut:
        out = cls.model_validate(user)
        return out.model_copy(update={"avatar_url": avatar_url}) if avatar_url else out


class SignupIn(BaseModel):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)
    handle: str = Field(pattern=HANDLE_PATTERN, description="3-30 letters, digits or _")
    display_name: str = Field(min_length=1, max_length=60)
    role: Literal["fan", "creator"] = "fan"

    _normalise = field_validator("email", "handle")(_lower)

    @field_validator("display_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class LoginIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=MAX_LENGTH)

    _normalise = field_validator("email")(_lower)


class SessionOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int
    user: UserOut


class ProfilePatch(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=60)
    bio: str | None = Field(default=None, max_length=2000)
    handle: str | None = Field(default=None, pattern=HANDLE_PATTERN)
    avatar_media_id: uuid.UUID | None = Field(
        default=None, description="One of your own ready media; null removes the avatar"
    )

    @field_validator("handle")
    @classmethod
    def _lower_handle(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None


class PasswordChangeIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class PasswordResetIn(BaseModel):
    email: EmailStr

    _normalise = field_validator("email")(_lower)


class PasswordResetConfirmIn(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class AcceptedOut(BaseModel):
    status: Literal["accepted"] = "accepted"
    message: str
