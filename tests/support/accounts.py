"""Accounts for tests: sign up through the real API and keep what a client would keep.

httpx does not send Secure cookies over plain http, so the refresh cookie is carried by
hand, as the browser would carry it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

COOKIE = "__Secure-digis_refresh"
ORIGIN = "http://localhost:5173"
PASSWORD = "correct horse battery"


@dataclass
class Account:
    email: str
    handle: str
    password: str
    user: dict[str, Any]
    access_token: str
    refresh_token: str = field(repr=False)

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def refresh_cookie(response: httpx.Response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name == COOKIE:
            return rest.split(";", 1)[0]
    return None


def cookie_header(token: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={token}", "Origin": ORIGIN}


def unique_handle(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


async def signup(
    client: httpx.AsyncClient,
    *,
    role: str = "fan",
    handle: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
) -> Account:
    handle = handle or unique_handle(role)
    email = f"{handle}@example.com"
    response = await client.post(
        "/api/auth/signup",
        json={
            "email": email,
            "password": password,
            "handle": handle,
            "display_name": display_name or handle.replace("_", " ").title(),
            "role": role,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    cookie = refresh_cookie(response)
    assert cookie is not None
    return Account(email, handle, password, body["user"], body["access_token"], cookie)


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> Account:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    cookie = refresh_cookie(response)
    assert cookie is not None
    user = body["user"]
    return Account(email, user["handle"], password, user, body["access_token"], cookie)


_password_hash: str | None = None


async def create_account(
    role: str = "fan", *, handle: str | None = None, display_name: str | None = None
) -> Account:
    """An account made straight through the services (no sign-up throttle, no hashing per
    call), for tests about something other than signing up."""
    from backend.accounts import sessions
    from backend.accounts.models import User
    from backend.accounts.passwords import hash_password
    from backend.accounts.roles import Role
    from backend.accounts.schemas import UserOut
    from backend.accounts.tokens import issue_access_token
    from backend.settings import get_settings

    global _password_hash
    if _password_hash is None:
        _password_hash = await hash_password(PASSWORD)
    handle = handle or unique_handle(role)
    user = await User.create(
        email=f"{handle}@example.com",
        handle=handle,
        display_name=display_name or handle.replace("_", " ").title(),
        role=Role(role),
        password_hash=_password_hash,
    )
    settings = get_settings()
    refresh = await sessions.start_family(settings, user)
    token = issue_access_token(settings, user.id, user.role, refresh.family_id)
    body = UserOut.of(user).model_dump(mode="json")
    return Account(user.email, handle, PASSWORD, body, token, refresh.token)
