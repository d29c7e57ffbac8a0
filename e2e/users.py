"""Each test's own users, created through the API (tests then act only through the page)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

import httpx

Role = Literal["fan", "creator"]
PASSWORD = "correct horse battery staple"


def unique_handle(prefix: str) -> str:
    """A handle no other test uses: `prefix_` and 8 hex digits (handles are 3-30 of
    [a-z0-9_]; the API lowercases them)."""
    return f"{prefix[:21]}_{uuid.uuid4().hex[:8]}".lower()


@dataclass(frozen=True)
class User:
    email: str
    password: str
    handle: str
    display_name: str
    role: Role
    access_token: str

    @property
    def auth(self) -> dict[str, str]:
        """Headers for arranging data as this user through the API."""
        return {"Authorization": f"Bearer {self.access_token}"}


def sign_up(api: httpx.Client, role: Role, name: str) -> User:
    """A new account with a unique handle and email; `name` starts its display name."""
    handle = unique_handle(name.lower().replace(" ", "_"))
    display_name = f"{name} {handle.rsplit('_', 1)[1]}"
    email = f"{handle}@example.com"
    response = api.post(
        "/api/auth/signup",
        json={
            "email": email,
            "password": PASSWORD,
            "handle": handle,
            "display_name": display_name,
            "role": role,
        },
    )
    assert response.status_code == 201, f"signup {handle}: {response.status_code} {response.text}"
    token: str = response.json()["access_token"]
    return User(email, PASSWORD, handle, display_name, role, token)
