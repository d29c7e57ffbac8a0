from __future__ import annotations

import httpx
from redis.asyncio import Redis

from backend.settings import Settings
from tests.foundation.conftest import StartApi
from tests.foundation.test_errors import assert_error_shape


async def test_default_policy_headers_count_down_then_429(start_api: StartApi) -> None:
    client = await start_api(rate_limit_default="3/minute")
    remaining = []
    for _ in range(3):
        response = await client.get("/api/ping")
        assert response.status_code == 200
        assert response.headers["RateLimit-Policy"] == '"default";q=3;w=60'
        remaining.append(response.headers["RateLimit"].split(";")[1])
    assert remaining == ["r=2", "r=1", "r=0"]

    refused = await client.get("/api/ping")
    error = assert_error_shape(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit"].startswith('"default";r=0;t=')
    assert error["details"] == {
        "policy": "default",
        "retry_after": int(refused.headers["Retry-After"]),
    }


async def test_route_policy_is_stricter_than_default(start_api: StartApi) -> None:
    client = await start_api(rate_limit_default="300/minute")
    assert (await client.get("/api/tight")).status_code == 200
    second = await client.get("/api/tight")
    assert second.status_code == 200
    assert '"tight";q=2;w=60' in second.headers["RateLimit-Policy"]
    assert '"default";' in second.headers["RateLimit-Policy"]
    refused = await client.get("/api/tight")
    assert refused.status_code == 429
    assert refused.json()["error"]["details"]["policy"] == "tight"
    assert (await client.get("/api/ping")).status_code == 200  # other routes are unaffected


async def test_health_is_not_rate_limited(start_api: StartApi) -> None:
    client = await start_api(rate_limit_default="1/minute")
    for _ in range(3):
        response = await client.get("/health/live")
        assert response.status_code == 200
        assert "RateLimit" not in response.headers


async def test_limiter_fails_open_when_redis_is_down(start_api: StartApi) -> None:
    client: httpx.AsyncClient = await start_api(redis_url="redis://127.0.0.1:1/0")
    # Every policy is counted in Redis; none can count, so they let the request through
    # rather than fail it, and announce no policy.
    response = await client.get("/api/tight")
    assert response.status_code == 200
    assert '"tight"' not in response.headers.get("RateLimit-Policy", "")
    assert '"default"' not in response.headers.get("RateLimit-Policy", "")


async def test_default_policy_is_counted_in_redis(
    start_api: StartApi, redis: Redis, settings: Settings
) -> None:
    client = await start_api(rate_limit_default="300/minute")
    for _ in range(3):
        assert (await client.get("/api/ping")).status_code == 200

    async def shared_count() -> int:
        keys = [
            k async for k in redis.scan_iter(match=f"{settings.redis_namespace}:ratelimit*default*")
        ]
        return sum([int(await redis.get(k) or 0) for k in keys])

    assert await shared_count() == 3  # counted as each request came, not later
    # Each window's counter expires when the window ends (the default policy's is a minute).
    [key] = [
        k async for k in redis.scan_iter(match=f"{settings.redis_namespace}:ratelimit*default*")
    ]
    assert 0 < await redis.ttl(key) <= 61


async def test_stripe_webhooks_are_not_limited_per_address(start_api: StartApi) -> None:
    client = await start_api(rate_limit_default="1/minute")
    for _ in range(3):
        response = await client.post("/api/webhooks/stripe", content=b"{}")
        assert response.status_code == 400  # unsigned: refused, but never throttled
        assert "RateLimit" not in response.headers


async def test_a_limit_holds_across_api_instances(start_api: StartApi) -> None:
    first = await start_api(rate_limit_default="3/minute")
    second = await start_api(rate_limit_default="3/minute")
    responses = [await client.get("/api/ping") for client in (first, second) * 2]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    # One count, whichever instance answers; the window the first opened ends for both.
    remaining = [r.headers["RateLimit"].split(";")[1] for r in responses]
    assert remaining == ["r=2", "r=1", "r=0", "r=0"]
    assert 1 <= int(responses[-1].headers["Retry-After"]) <= 60


async def test_without_a_default_only_route_policies_count(start_api: StartApi) -> None:
    # RATE_LIMIT_DEFAULT unset: the per-IP cap is left to the edge proxy.
    client = await start_api(rate_limit_default=None)
    ping = await client.get("/api/ping")
    assert ping.status_code == 200
    assert "RateLimit-Policy" not in ping.headers
    statuses = [(await client.get("/api/tight")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
