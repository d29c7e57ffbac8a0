"""Input PostgreSQL cannot hold, or that cannot name anything, is a 422 or a 404: never a 500.

NUL is refused by PostgreSQL's text types and a lone surrogate cannot be encoded at all;
both used to fail inside the write, logged as unhandled errors.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sanic import HTTPResponse, Request, empty

from backend.accounts.models import User
from backend.http.sanic_types import App
from backend.settings import Settings
from tests.support.accounts import create_account
from tests.support.server import serve, with_overrides

pytestmark = pytest.mark.usefixtures("database")

NUL = "a\u0000b"
SURROGATE = "a\ud800b"
TOO_LONG_HANDLE = "h" * 31


def refused_field(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    return [problem["field"] for problem in body["details"]["fields"]]


async def post_json(api: httpx.AsyncClient, path: str, body: object) -> httpx.Response:
    """POST `body` as JSON with non-ASCII escaped, so a lone surrogate travels as `\\ud800`
    (as a hostile client would send it; it cannot be encoded as UTF-8)."""
    content = json.dumps(body)
    return await api.post(path, content=content, headers={"Content-Type": "application/json"})


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(with_overrides(settings, rate_limit_enabled=False), _orm_route) as client:
        yield client


def _orm_route(app: App) -> None:
    @app.post("/api/test-orm-refusal")
    async def refused(request: Request) -> HTTPResponse:
        await User.create(
            email="long@example.com", handle="x" * 80, display_name="x", password_hash="x"
        )
        return empty()


@pytest.mark.parametrize("text", [NUL, SURROGATE, "line\nbreak", "bell\u0007"])
async def test_a_signup_display_name_with_control_characters_is_refused(
    api: httpx.AsyncClient, text: str
) -> None:
    body = {
        "email": f"{uuid.uuid4().hex[:8]}@example.com",
        "password": "correct horse battery staple",
        "handle": f"u{uuid.uuid4().hex[:8]}",
        "display_name": text,
    }
    response = await post_json(api, "/api/auth/signup", body)
    assert refused_field(response) == ["display_name"]
    assert await User.all().count() == 0


async def test_profile_text_with_nul_is_refused_and_nothing_changes(
    api: httpx.AsyncClient,
) -> None:
    fan = await create_account("fan", display_name="Before")
    for field in ("bio", "display_name"):
        response = await api.patch("/api/me", json={field: NUL}, headers=fan.auth)
        assert refused_field(response) == [field]
    user = await User.get(id=fan.id)
    assert (user.display_name, user.bio) == ("Before", "")
    # A bio keeps its line breaks and tabs.
    kept = await api.patch("/api/me", json={"bio": "one\n\ttwo"}, headers=fan.auth)
    assert kept.status_code == 200
    assert kept.json()["bio"] == "one\n\ttwo"


async def test_a_search_term_with_nul_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/creators", params={"q": NUL})
    assert refused_field(response) == ["q"]


async def test_a_tip_message_with_nul_is_refused(api: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    creator = await create_account("creator")
    response = await api.post(
        "/api/tips",
        json={"creator": creator.handle, "amount": 1, "message": NUL},
        headers=fan.auth,
    )
    assert refused_field(response) == ["message"]


async def test_a_password_that_cannot_be_encoded_is_refused(api: httpx.AsyncClient) -> None:
    body = {"email": "someone@example.com", "password": SURROGATE}
    response = await post_json(api, "/api/auth/login", body)
    assert refused_field(response) == ["password"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/creators/{}"),
        ("GET", "/api/creators/{}/followers"),
        ("GET", "/api/creators/{}/media"),
        ("PUT", "/api/creators/{}/follow"),
        ("DELETE", "/api/creators/{}/follow"),
    ],
)
@pytest.mark.parametrize("handle", [TOO_LONG_HANDLE, "a%00b", "no"])
async def test_a_path_that_cannot_name_a_creator_is_a_404(
    api: httpx.AsyncClient, method: str, path: str, handle: str
) -> None:
    fan = await create_account("fan")
    response = await api.request(method, path.format(handle), headers=fan.auth)
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"


async def test_a_value_the_orm_refuses_is_a_422_naming_the_field(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/test-orm-refusal")
    assert refused_field(response) == ["handle"]
