from __future__ import annotations

from datetime import timedelta

import httpx
from tortoise import timezone

from backend.accounts.models import RefreshToken
from backend.accounts.tokens import token_hash
from tests.support.accounts import ORIGIN, cookie_header, create_account, login, refresh_cookie


async def refresh(client: httpx.AsyncClient, token: str, **headers: str) -> httpx.Response:
    return await client.post("/api/auth/refresh", headers={**cookie_header(token), **headers})


async def test_refresh_rotates_the_cookie_and_answers_a_new_access_token(
    client: httpx.AsyncClient,
) -> None:
    account = await create_account()
    first = await refresh(client, account.refresh_token)
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "user"}
    rotated = refresh_cookie(first)
    assert rotated is not None
    assert rotated != account.refresh_token
    assert rotated not in first.text
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200

    second = await refresh(client, rotated)
    assert second.status_code == 200
    assert refresh_cookie(second) not in {rotated, account.refresh_token}


async def test_reusing_a_rotated_token_kills_the_whole_family(client: httpx.AsyncClient) -> None:
    account = await create_account()
    first = await refresh(client, account.refresh_token)
    newest = refresh_cookie(first)
    assert newest is not None

    replay = await refresh(client, account.refresh_token)  # the already-rotated one
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "session_expired"
    # The legitimate newest token is dead too: the family was revoked.
    assert (await refresh(client, newest)).status_code == 401
    tokens = await RefreshToken.filter(user_id=account.id)
    assert all(token.revoked_at is not None for token in tokens)


async def test_other_logins_survive_a_reuse_in_one_family(client: httpx.AsyncClient) -> None:
    account = await create_account()
    other_session = await login(client, account.email)
    await refresh(client, account.refresh_token)
    await refresh(client, account.refresh_token)  # reuse: family of the first login dies
    assert (await refresh(client, other_session.refresh_token)).status_code == 200


async def test_refresh_checks_where_the_request_comes_from(client: httpx.AsyncClient) -> None:
    account = await create_account()
    cookie = {"Cookie": f"__Secure-digis_refresh={account.refresh_token}"}
    no_origin = await client.post("/api/auth/refresh", headers=cookie)
    assert no_origin.status_code == 403
    evil = await client.post(
        "/api/auth/refresh", headers={**cookie, "Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    cross_site = await client.post(
        "/api/auth/refresh",
        headers={**cookie, "Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"},
    )
    assert cross_site.status_code == 403
    assert cross_site.json()["error"]["code"] == "origin_not_allowed"
    # None of those used up the token.
    assert (await refresh(client, account.refresh_token)).status_code == 200


async def test_refresh_is_post_only_and_needs_the_cookie(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/auth/refresh")).status_code == 405
    missing = await client.post("/api/auth/refresh", headers={"Origin": ORIGIN})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "no_session"
    unknown = await refresh(client, "made-up-token-value")
    assert unknown.status_code == 401


async def test_expired_and_family_expired_tokens_are_refused(client: httpx.AsyncClient) -> None:
    account = await create_account()
    await RefreshToken.filter(token_hash=token_hash(account.refresh_token)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert (await refresh(client, account.refresh_token)).status_code == 401

    other = await create_account()
    await RefreshToken.filter(token_hash=token_hash(other.refresh_token)).update(
        family_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert (await refresh(client, other.refresh_token)).status_code == 401


async def test_rotation_slides_the_expiry_but_not_past_the_family_limit(
    client: httpx.AsyncClient,
) -> None:
    account = await create_account()
    family_end = timezone.now() + timedelta(days=2)
    await RefreshToken.filter(token_hash=token_hash(account.refresh_token)).update(
        family_expires_at=family_end
    )
    response = await refresh(client, account.refresh_token)
    newest = await RefreshToken.get(token_hash=token_hash(str(refresh_cookie(response))))
    assert abs((newest.expires_at - family_end).total_seconds()) < 1
    assert "Max-Age=17" in response.headers["set-cookie"]  # about 2 days, not 30


async def test_logout_revokes_the_family_and_clears_the_cookie(client: httpx.AsyncClient) -> None:
    account = await create_account()
    response = await client.post("/api/auth/logout", headers=cookie_header(account.refresh_token))
    assert response.status_code == 204
    cleared = response.headers["set-cookie"]
    value = cleared.split(";")[0].split("=", 1)[1]
    assert cleared.startswith("__Secure-digis_refresh=")
    assert value in {"", '""'}
    assert "Max-Age=0" in cleared
    assert (await refresh(client, account.refresh_token)).status_code == 401


async def test_logout_all_ends_every_session_and_access_token(client: httpx.AsyncClient) -> None:
    account = await create_account()
    second = await login(client, account.email)
    response = await client.post("/api/auth/logout-all", headers=second.auth)
    assert response.status_code == 204
    for token in (account.refresh_token, second.refresh_token):
        assert (await refresh(client, token)).status_code == 401
    for access in (account.access_token, second.access_token):
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401
    # A new login works.
    assert (await login(client, account.email)).access_token
