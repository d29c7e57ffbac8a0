from __future__ import annotations

import httpx

from tests.foundation.conftest import StartApi


def assert_error_shape(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert set(error) == {"code", "message", "request_id", "details"}
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    return error


async def test_unknown_route_is_404(client: httpx.AsyncClient) -> None:
    assert_error_shape(await client.get("/api/does-not-exist"), 404, "not_found")


async def test_wrong_method_is_405_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.delete("/health/live")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


async def test_too_large_body_is_413(start_api: StartApi) -> None:
    client = await start_api(media_max_upload_bytes=1024)
    response = await client.post("/api/greet", content=b"x" * (3 * 1024 * 1024))
    assert_error_shape(response, 413, "payload_too_large")


async def test_invalid_body_is_422_listing_every_field(start_api: StartApi) -> None:
    client = await start_api()
    response = await client.post("/api/greet", json={"name": "x", "times": 9})
    error = assert_error_shape(response, 422, "validation_error")
    fields = {item["field"] for item in error["details"]["fields"]}  # type: ignore[index]
    assert fields == {"name", "times"}


async def test_malformed_json_is_422(start_api: StartApi) -> None:
    client = await start_api()
    response = await client.post(
        "/api/greet", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error_shape(response, 422, "validation_error")


async def test_valid_body_passes(start_api: StartApi) -> None:
    client = await start_api()
    response = await client.post("/api/greet", json={"name": "ada", "times": 2})
    assert response.status_code == 200
    assert response.json() == {"greeting": "hi ada hi ada"}


async def test_crash_is_500_without_internals(start_api: StartApi) -> None:
    client = await start_api()
    response = await client.get("/api/boom")
    error = assert_error_shape(response, 500, "internal_error")
    assert "kaboom" not in response.text
    assert error["details"] is None


async def test_crash_shows_traceback_only_in_development(start_api: StartApi) -> None:
    client = await start_api(app_env="development")
    response = await client.get("/api/boom")
    error = assert_error_shape(response, 500, "internal_error")
    assert "kaboom" in "".join(error["details"]["traceback"])  # type: ignore[index]
