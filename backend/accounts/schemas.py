"""What the accounts routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from backend.accounts.models import User
from backend.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from backend.accounts.roles import Role
from backend.http.text import Encodable, MultiLine, SingleLine

HANDLE_CHARACTERS = r"[A-Za-z0-9_]{3,30}"
HANDLE_PATTERN = f"^{HANDLE_CHARACTERS}$"
# A route's `<handle>`: a path that cannot name anyone is a 404 before any lookup.
HANDLE_IN_PATH = f"<handle:{HANDLE_CHARACTERS}>"

EXAMPLE_USER: dict[str, Any] = {
    "id": "8d2f7c4e-1b3a-4f6d-9e5c-7a1b2c3d4e5f",
    "email": "ada@example.com",
    "handle": "ada",
    "display_name": "Ada Lovelace",
    "role": "creator",
    "bio": "Mathematician. Photographs of engines, old and new.",
    "avatar_url": "/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.webp",
    "created_at": "2025-01-15T09:30:00Z",
    "updated_at": "2025-03-02T14:05:00Z",
}
EXAMPLE_PASSWORD = "correct-horse-battery"  # noqa: S105 - an example, not a secret


def _lower(value: str) -> str:
    return value.strip().lower()


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [EXAMPLE_USER]})

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "password": EXAMPLE_PASSWORD,
                    "handle": "ada",
                    "display_name": "Ada Lovelace",
                    "role": "creator",
                }
            ]
        }
    )

    email: EmailStr = Field(max_length=254)
    password: Encodable = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)
    handle: str = Field(pattern=HANDLE_PATTERN, description="3-30 letters, digits or _")
    display_name: SingleLine = Field(min_length=1, max_length=60)
    role: Literal["fan", "creator"] = "fan"

    _normalise = field_validator("email", "handle")(_lower)

    @field_validator("display_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class LoginIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "ada@example.com", "password": EXAMPLE_PASSWORD}]}
    )

    email: EmailStr
    password: Encodable = Field(min_length=1, max_length=MAX_LENGTH)

    _normalise = field_validator("email")(_lower)


class SessionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ZDJmN2M0ZSJ9"
                    ".Qk3v9XkP2mTz7LwR4sYb8NcE1uHgJ0aDfVi6oWnZrTs",
                    "token_type": "bearer",
                    "expires_in": 900,
                    "user": EXAMPLE_USER,
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int
    user: UserOut


class ProfilePatch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "display_name": "Ada King",
                    "bio": "Mathematician. Photographs of engines, old and new.",
                    "avatar_media_id": "c41e5b7a-2f9d-4a63-8b1e-0d7c9f2a6e34",
                }
            ]
        }
    )

    display_name: SingleLine | None = Field(default=None, min_length=1, max_length=60)
    bio: MultiLine | None = Field(default=None, max_length=2000)
    handle: str | None = Field(default=None, pattern=HANDLE_PATTERN)
    avatar_media_id: uuid.UUID | None = Field(
        default=None, description="One of your own ready media; null removes the avatar"
    )

    @field_validator("handle")
    @classmethod
    def _lower_handle(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"current_password": EXAMPLE_PASSWORD, "new_password": "staple-lantern-orbit"}
            ]
        }
    )

    current_password: Encodable = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: Encodable = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "ada@example.com"}]})

    email: EmailStr

    _normalise = field_validator("email")(_lower)


class PasswordResetConfirmIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "token": "q8Zr2vN4kT6yB1mW9sXc3LpH7dF0gJ5aEoUiRtYxQwM",
                    "new_password": "staple-lantern-orbit",
                }
            ]
        }
    )

    token: SingleLine = Field(min_length=10, max_length=200)
    new_password: Encodable = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class AcceptedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "accepted",
                    "message": "If that email belongs to an account, a reset link is on its way.",
                }
            ]
        }
    )

    status: Literal["accepted"] = "accepted"
    message: str
