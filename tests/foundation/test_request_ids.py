from __future__ import annotations

import uuid

import httpx


async def test_a_well_formed_incoming_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "abc.DEF_123-x"})
    assert response.headers["X-Request-ID"] == "abc.DEF_123-x"


async def test_a_missing_id_is_generated_as_uuid4(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    generated = uuid.UUID(response.headers["X-Request-ID"])
    assert generated.version == 4


async def test_a_malformed_id_is_replaced(client: httpx.AsyncClient) -> None:
    bad_ids: list[str | bytes] = ["has space", "x" * 129, "semi;colon", "\u00fcn".encode()]
    for bad in bad_ids:
        headers = [(b"X-Request-ID", bad if isinstance(bad, bytes) else bad.encode())]
        response = await client.get("/health/live", headers=headers)
        assert response.headers["X-Request-ID"] != bad
        assert uuid.UUID(response.headers["X-Request-ID"]).version == 4


async def test_error_bodies_carry_the_same_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nowhere", headers={"X-Request-ID": "trace-me-1"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-me-1"
    assert response.json()["error"]["request_id"] == "trace-me-1"
