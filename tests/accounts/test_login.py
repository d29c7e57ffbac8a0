from __future__ import annotations

import statistics
import time
import uuid

import httpx
import jwt
from argon2 import PasswordHasher, extract_parameters

from backend.accounts.models import User
from backend.settings import Settings
from tests.support.accounts import create_account, signup


async def test_login_with_valid_credentials_returns_an_access_token(
    client: httpx.AsyncClient,
) -> None:
    account = await create_account()
    response = await client.post(
        "/api/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["access_token"]
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["user"]["id"] == account.id
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == account.email


async def test_login_email_is_case_insensitive(client: httpx.AsyncClient) -> None:
    account = await create_account()
    response = await client.post(
        "/api/auth/login", json={"email": account.email.upper(), "password": account.password}
    )
    assert response.status_code == 200


async def test_unknown_email_and_wrong_password_look_the_same(client: httpx.AsyncClient) -> None:
    account = await create_account()
    wrong_password = {"email": account.email, "password": "not the password"}
    unknown_email = {"email": f"{uuid.uuid4().hex}@example.com", "password": "whatever123"}

    async def timed(body: dict[str, str]) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        response = await client.post("/api/auth/login", json=body)
        return response, time.perf_counter() - started

    wrong = [await timed(wrong_password) for _ in range(3)]
    unknown = [await timed(unknown_email) for _ in range(3)]
    for response, _ in wrong + unknown:
        assert response.status_code == 401
        error = response.json()["error"]
        assert (error["code"], error["message"]) == (
            "invalid_credentials",
            "Incorrect email or password.",
        )
    # Both paths run one argon2 verification (a dummy hash for unknown emails).
    wrong_time = statistics.median(t for _, t in wrong)
    unknown_time = statistics.median(t for _, t in unknown)
    assert unknown_time > wrong_time * 0.5


async def test_login_rehashes_when_the_parameters_change(client: httpx.AsyncClient) -> None:
    account = await create_account()
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    await User.filter(id=account.id).update(password_hash=weak.hash(account.password))
    response = await client.post(
        "/api/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    user = await User.get(id=account.id)
    assert extract_parameters(user.password_hash).memory_cost == 19 * 1024


async def test_failed_logins_are_throttled_per_account_and_address(
    client: httpx.AsyncClient,
) -> None:
    account = await create_account()
    for _ in range(5):
        failed = await client.post(
            "/api/auth/login", json={"email": account.email, "password": "wrong password"}
        )
        assert failed.status_code == 401
    # Even the right password is refused now, with the rate-limit headers.
    refused = await client.post(
        "/api/auth/login", json={"email": account.email, "password": account.password}
    )
    assert refused.status_code == 429
    assert refused.json()["error"]["details"]["policy"] == "login-account"
    assert int(refused.headers["Retry-After"]) > 0
    assert '"login-account";q=5;w=900' in refused.headers["RateLimit-Policy"]
    # Another account from the same address is not locked out.
    other = await create_account()
    ok = await client.post(
        "/api/auth/login", json={"email": other.email, "password": other.password}
    )
    assert ok.status_code == 200


async def test_a_successful_login_clears_the_failure_count(client: httpx.AsyncClient) -> None:
    account = await create_account()
    for _ in range(4):
        await client.post("/api/auth/login", json={"email": account.email, "password": "nope nope"})
    assert (
        await client.post(
            "/api/auth/login", json={"email": account.email, "password": account.password}
        )
    ).status_code == 200
    for _ in range(4):
        await client.post("/api/auth/login", json={"email": account.email, "password": "nope nope"})
    assert (
        await client.post(
            "/api/auth/login", json={"email": account.email, "password": account.password}
        )
    ).status_code == 200


def forged(settings: Settings, account_id: str, **changes: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": account_id,
        "iat": now,
        "exp": now + 600,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "role": "fan",
        "sid": str(uuid.uuid4()),
    }
    secret = str(changes.pop("secret", settings.jwt_secret.get_secret_value()))
    algorithm = str(changes.pop("algorithm", "HS256"))
    for name, value in changes.items():
        if value is None:
            claims.pop(name)
        else:
            claims[name] = value
    return jwt.encode(claims, secret if algorithm != "none" else "", algorithm=algorithm)


async def test_every_bad_access_token_is_401_invalid_token(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    account = await signup(client)
    now = int(time.time())
    good = forged(settings, account.id)
    assert (
        await client.get("/api/me", headers={"Authorization": f"Bearer {good}"})
    ).status_code == 200

    header, payload, signature = account.access_token.split(".")
    bad_tokens = {
        "expired beyond leeway": forged(settings, account.id, exp=now - 60, iat=now - 700),
        "tampered": f"{header}.{payload}.{signature[:-4]}AAAA",
        "alg none": forged(settings, account.id, algorithm="none"),
        "other secret": forged(settings, account.id, secret="x" * 40),
        "wrong issuer": forged(settings, account.id, iss="someone-else"),
        "wrong audience": forged(settings, account.id, aud="another-api"),
        "refresh type": forged(settings, account.id, typ="refresh"),
        "missing jti": forged(settings, account.id, jti=None),
        "missing sid": forged(settings, account.id, sid=None),
        "garbage": "not.a.jwt",
    }
    for name, token in bad_tokens.items():
        response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"', name
        assert response.json()["error"]["code"] == "invalid_token", name


async def test_leeway_is_at_most_thirty_seconds(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    account = await create_account()
    now = int(time.time())
    just_expired = forged(settings, account.id, exp=now - 10, iat=now - 600)
    ok = await client.get("/api/me", headers={"Authorization": f"Bearer {just_expired}"})
    assert ok.status_code == 200
    long_expired = forged(settings, account.id, exp=now - 45, iat=now - 600)
    refused = await client.get("/api/me", headers={"Authorization": f"Bearer {long_expired}"})
    assert refused.status_code == 401


async def test_no_credentials_is_401_with_a_bearer_challenge(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


async def test_cookies_never_authenticate_api_calls(client: httpx.AsyncClient) -> None:
    account = await create_account()
    response = await client.get(
        "/api/me", headers={"Cookie": f"__Secure-digis_refresh={account.refresh_token}"}
    )
    assert response.status_code == 401
