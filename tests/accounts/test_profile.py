from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from sanic import HTTPResponse, Request, json

from backend.accounts.auth import authenticated
from backend.accounts.roles import Role
from backend.http.sanic_types import App
from backend.settings import Settings
from tests.support.accounts import cookie_header, create_account, login
from tests.support.server import serve


async def test_me_answers_the_signed_in_user(client: httpx.AsyncClient) -> None:
    account = await create_account("creator")
    response = await client.get("/api/me", headers=account.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == account.id
    assert body["role"] == "creator"
    assert set(body) >= {"email", "handle", "display_name", "bio", "avatar_url", "created_at"}


async def test_profile_changes(client: httpx.AsyncClient) -> None:
    account = await create_account()
    response = await client.patch(
        "/api/me",
        json={"display_name": "Grace Hopper", "bio": "Compilers.", "handle": "Grace_H"},
        headers=account.auth,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["display_name"], body["bio"], body["handle"]) == (
        "Grace Hopper",
        "Compilers.",
        "grace_h",
    )
    assert (await client.get("/api/me", headers=account.auth)).json()["handle"] == "grace_h"


async def test_a_taken_handle_is_409_and_a_bad_one_422(client: httpx.AsyncClient) -> None:
    first = await create_account()
    second = await create_account()
    taken = await client.patch("/api/me", json={"handle": first.handle}, headers=second.auth)
    assert taken.status_code == 409
    assert taken.json()["error"]["details"] == {"field": "handle"}
    bad = await client.patch("/api/me", json={"handle": "x"}, headers=second.auth)
    assert bad.status_code == 422
    assert (await client.get("/api/me", headers=second.auth)).json()["handle"] == second.handle


async def test_password_change_needs_the_current_password(client: httpx.AsyncClient) -> None:
    account = await create_account()
    response = await client.post(
        "/api/me/password",
        json={"current_password": "not it at all", "new_password": "a brand new secret"},
        headers=account.auth,
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "current_password"


async def test_password_change_revokes_every_other_session(client: httpx.AsyncClient) -> None:
    account = await create_account()
    other = await login(client, account.email)
    response = await client.post(
        "/api/me/password",
        json={"current_password": account.password, "new_password": "a brand new secret"},
        headers=account.auth,
    )
    assert response.status_code == 204

    other_refresh = await client.post(
        "/api/auth/refresh", headers=cookie_header(other.refresh_token)
    )
    assert other_refresh.status_code == 401
    # This session continues after a refresh.
    mine = await client.post("/api/auth/refresh", headers=cookie_header(account.refresh_token))
    assert mine.status_code == 200
    old = await client.post(
        "/api/auth/login", json={"email": account.email, "password": account.password}
    )
    assert old.status_code == 401
    assert (await login(client, account.email, "a brand new secret")).access_token


def role_routes(app: App) -> None:
    @app.get("/api/creators-only")
    @authenticated(Role.CREATOR)
    async def creators_only(request: Request) -> HTTPResponse:
        return json({"ok": True})


@pytest.fixture
async def role_api(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(settings, role_routes) as client:
        yield client


async def test_roles_are_declared_on_routes(role_api: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    creator = await create_account("creator")
    assert (await role_api.get("/api/creators-only")).status_code == 401
    forbidden = await role_api.get("/api/creators-only", headers=fan.auth)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    assert (await role_api.get("/api/creators-only", headers=creator.auth)).status_code == 200
