"""The post and like routes document their request and response shapes and their errors."""

from __future__ import annotations

from typing import Any

from backend.settings import Settings
from tests.support.server import serve

ERROR = {"$ref": "#/components/schemas/ErrorBody"}
POST = "/api/posts/{post_id}"
ROUTES: dict[tuple[str, str], tuple[str, str | None, set[str]]] = {
    ("post", "/api/posts"): ("201", "PostOut", {"401", "403", "404", "422", "429"}),
    ("get", POST): ("200", "PostOut", {"401", "404"}),
    ("patch", POST): ("200", "PostOut", {"401", "403", "404", "422", "429"}),
    ("delete", POST): ("204", None, {"401", "403", "404", "429"}),
    ("post", f"{POST}/publish"): ("200", "PostOut", {"401", "403", "404", "422", "429"}),
    ("get", "/api/creators/{handle}/posts"): ("200", "PostPage", {"401", "404", "422"}),
    ("put", f"{POST}/like"): ("200", "LikeOut", {"401", "404", "422", "429"}),
    ("delete", f"{POST}/like"): ("200", "LikeOut", {"401", "404", "422", "429"}),
    ("post", f"{POST}/unlock"): ("201", "UnlockOut", {"401", "404", "409", "422", "429"}),
    ("get", "/api/me/posts"): ("200", "PostPage", {"401", "403", "422"}),
}
POST_OUT = {
    *("id", "author", "caption", "status", "photos", "like_count", "liked_by_me"),
    *("created_at", "published_at", "price", "photo_count", "locked", "unlocked_by_me"),
    "preview",
}


async def test_post_routes_are_documented(settings: Settings) -> None:
    async with serve(settings) as api:
        document: dict[str, Any] = (await api.get("/openapi.json")).json()

    for (method, path), (status, model, errors) in ROUTES.items():
        operation = document["paths"][path][method]
        assert operation["summary"], path
        assert operation["tags"] == ["posts"], path
        responses = operation["responses"]
        if model is not None:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{model}"}, path
        else:
            assert status in responses
        for error in errors:
            assert responses[error]["content"]["application/json"]["schema"] == ERROR, (path, error)

    for method, model in (("post", "PostIn"), ("patch", "PostPatch")):
        path = "/api/posts" if method == "post" else POST
        body = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{model}"}
    schemas = document["components"]["schemas"]
    assert set(schemas["PostOut"]["properties"]) == POST_OUT
    assert set(schemas["PostOut"]["required"]) == POST_OUT
    assert set(schemas["LikeOut"]["required"]) == {"post_id", "liked", "like_count"}
    assert schemas["PostIn"]["required"] == ["media_ids"]
    assert schemas["UnlockIn"]["required"] == ["price"]
    assert set(schemas["UnlockOut"]["required"]) == {"post", "price", "balance"}
    unlock = document["paths"][f"{POST}/unlock"]["post"]
    assert unlock["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UnlockOut"
    }
    assert any(p["name"] == "Idempotency-Key" for p in unlock["parameters"])
    assert schemas["PostIn"]["properties"]["caption"]["maxLength"] == 2200
