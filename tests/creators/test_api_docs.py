"""Every route of creators, the feed and notifications is documented with its shapes."""

from __future__ import annotations

from typing import Any

import pytest

from backend.settings import Settings
from tests.support.server import serve

pytestmark = pytest.mark.worker  # the folder's tests run with the worker (see conftest)

ERROR = {"$ref": "#/components/schemas/ErrorBody"}
ROUTES: dict[tuple[str, str], tuple[str | None, set[str]]] = {
    ("get", "/api/creators"): ("CreatorPage", {"422"}),
    ("get", "/api/creators/{handle}"): ("CreatorProfile", {"401", "404"}),
    ("put", "/api/creators/{handle}/follow"): ("FollowOut", {"401", "403", "404", "422"}),
    ("delete", "/api/creators/{handle}/follow"): ("FollowOut", {"401", "403", "404", "422"}),
    ("get", "/api/creators/{handle}/followers"): ("FollowerPage", {"404", "422"}),
    ("get", "/api/me/following"): ("CreatorPage", {"401", "422"}),
    ("get", "/api/feed"): ("FeedPage", {"401", "422"}),
    ("get", "/api/notifications"): ("NotificationPage", {"401", "422"}),
    ("get", "/api/notifications/unread-count"): ("UnreadCount", {"401"}),
    ("post", "/api/notifications/read"): ("MarkReadOut", {"401", "422"}),
    ("get", "/api/notifications/stream"): (None, {"401"}),
}
SHAPES = {
    "CreatorSummary": {"id", "handle", "display_name", "avatar_url", "bio", "follower_count"},
    "CreatorProfile": {
        *("id", "handle", "display_name", "avatar_url", "bio", "follower_count"),
        *("media_count", "is_following", "created_at"),
    },
    "UserSummary": {"id", "handle", "display_name", "avatar_url"},
    "FeedItem": {"post", "media", "creator"},
    "Notification": {"id", "kind", "data", "created_at", "read_at"},
    "FollowOut": {"handle", "following", "follower_count"},
    "MarkReadOut": {"updated", "unread"},
}


@pytest.fixture
async def document(settings: Settings) -> dict[str, Any]:
    """The document of a freshly started app (sanic-ext documents the latest app of a
    process, and the tests start several)."""
    async with serve(settings) as api:
        response = await api.get("/openapi.json")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body


async def test_routes_document_their_shapes_and_errors(document: dict[str, Any]) -> None:
    for (method, path), (model, errors) in ROUTES.items():
        operation = document["paths"][path].get(method)
        assert operation, (method, path, sorted(document["paths"][path]))
        assert operation["summary"], path
        responses = operation["responses"]
        ok = responses["200"]["content"]
        if model is None:
            assert "text/event-stream" in ok
        else:
            assert ok["application/json"]["schema"] == {"$ref": f"#/components/schemas/{model}"}
        for status in errors:
            assert responses[status]["content"]["application/json"]["schema"] == ERROR, (
                path,
                status,
            )
    read = document["paths"]["/api/notifications/read"]["post"]["requestBody"]
    assert read["content"]["application/json"]["schema"]["$ref"].endswith("/MarkReadIn")


async def test_components_have_the_agreed_fields(document: dict[str, Any]) -> None:
    schemas: dict[str, Any] = document["components"]["schemas"]
    for name, fields in SHAPES.items():
        assert set(schemas[name]["properties"]) == fields, name
        assert set(schemas[name]["required"]) == fields, name
    feed_item = schemas["FeedItem"]["properties"]
    assert feed_item["post"] == {"$ref": "#/components/schemas/PostOut"}
    assert feed_item["media"] == {
        "anyOf": [{"$ref": "#/components/schemas/MediaOut"}, {"type": "null"}]
    }
    assert feed_item["creator"] == {"$ref": "#/components/schemas/CreatorSummary"}
