"""The media routes document their request and response shapes and their errors."""

from __future__ import annotations

from typing import Any

from backend.settings import Settings
from tests.support.server import serve

ERROR = {"$ref": "#/components/schemas/ErrorBody"}
ROUTES: dict[tuple[str, str], tuple[str, str | None, set[str]]] = {
    ("post", "/api/media"): ("202", "MediaAcceptedOut", {"401", "403", "413", "415", "422", "429"}),
    ("get", "/api/media/{media_id}"): ("200", "MediaOut", {"404"}),
    ("delete", "/api/media/{media_id}"): ("204", None, {"401", "403", "404"}),
    ("get", "/api/creators/{handle}/media"): ("200", "MediaPage", {"404", "422"}),
}
MEDIA_OUT = {
    *("id", "owner_id", "status", "failure_reason", "content_type", "byte_size"),
    *("width", "height", "created_at", "ready_at", "thumbnails"),
}


async def test_media_routes_are_documented(settings: Settings) -> None:
    async with serve(settings) as api:
        document: dict[str, Any] = (await api.get("/openapi.json")).json()

    for (method, path), (status, model, errors) in ROUTES.items():
        operation = document["paths"][path][method]
        assert operation["summary"], path
        responses = operation["responses"]
        if model is not None:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{model}"}, path
        else:
            assert status in responses
        for error in errors:
            assert responses[error]["content"]["application/json"]["schema"] == ERROR, (path, error)

    upload = document["paths"]["/api/media"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["file"]
    schemas = document["components"]["schemas"]
    assert set(schemas["MediaOut"]["properties"]) == MEDIA_OUT
    assert set(schemas["MediaOut"]["required"]) == MEDIA_OUT
    assert set(schemas["ThumbnailOut"]["required"]) == {"url", "width", "height", "content_type"}
    served = document["paths"]["/media/{name}"]["get"]["responses"]
    assert {"200", "304", "404"} <= set(served)
