from __future__ import annotations

import httpx
from argon2 import extract_parameters

from backend.accounts.models import User
from tests.support.accounts import COOKIE, PASSWORD, signup, unique_handle


def signup_body(**overrides: str) -> dict[str, str]:
    handle = unique_handle()
    body = {
        "email": f"{handle}@example.com",
        "password": PASSWORD,
        "handle": handle,
        "display_name": "Ada Lovelace",
        "role": "fan",
    }
    body.update(overrides)
    return body


async def test_signup_answers_a_session_and_sets_the_refresh_cookie(
    client: httpx.AsyncClient,
) -> None:
    body = signup_body(role="creator")
    response = await client.post("/api/auth/signup", json=body)
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"user", "access_token", "token_type", "expires_in"}
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 900
    assert data["user"]["handle"] == body["handle"]
    assert data["user"]["role"] == "creator"
    assert "password" not in str(data["user"])

    [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE)]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attributes
    assert "SameSite=Strict" in cookie
    assert "Path=/api/auth" in cookie
    assert f"Max-Age={30 * 24 * 3600}" in cookie
    token = cookie.split("=", 1)[1].split(";")[0]
    assert token not in response.text  # the refresh token never appears in a body


async def test_passwords_are_argon2id_at_owasp_parameters(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    user = await User.get(id=account.id)
    assert user.password_hash.startswith("$argon2id$")
    parameters = extract_parameters(user.password_hash)
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism == 1


async def test_duplicate_email_is_409_case_insensitively(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post("/api/auth/signup", json=signup_body(email=account.email.upper()))
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"field": "email"}


async def test_duplicate_handle_is_409(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/auth/signup", json=signup_body(handle=account.handle.upper())
    )
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"field": "handle"}


async def test_password_rules(client: httpx.AsyncClient) -> None:
    handle = unique_handle()
    cases = {
        "nine char": "password",  # 10 characters minimum
        "x" * 129: "password",
        f"{handle}@example.com": "password",  # the email itself
        handle: "password",  # the handle itself (long enough)
    }
    for password, field in cases.items():
        body = signup_body(handle=handle, email=f"{handle}@example.com", password=password)
        response = await client.post("/api/auth/signup", json=body)
        assert response.status_code == 422, password
        fields = [f["field"] for f in response.json()["error"]["details"]["fields"]]
        assert fields == [field]
    # No composition rules: a long lower-case phrase is fine.
    ok = signup_body(password="just lowercase words here")
    assert (await client.post("/api/auth/signup", json=ok)).status_code == 201


async def test_bad_fields_are_all_listed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/signup",
        json={"email": "not-an-email", "password": PASSWORD, "handle": "no spaces!"},
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["details"]["fields"]}
    assert fields == {"email", "handle", "display_name"}


async def test_only_fans_and_creators_can_sign_up(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/signup", json=signup_body(role="admin"))
    assert response.status_code == 422


async def test_signups_are_throttled_per_address(client: httpx.AsyncClient) -> None:
    for _ in range(10):
        await signup(client)
    refused = await client.post("/api/auth/signup", json=signup_body())
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert '"signup";q=10;w=3600' in refused.headers["RateLimit-Policy"]
