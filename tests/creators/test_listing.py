from __future__ import annotations

import uuid

import httpx
import pytest

from backend.http.pagination import encode_cursor
from tests.creators.support import follow, handles, walk
from tests.support.accounts import create_account

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_lists_only_creators_as_summaries(client: httpx.AsyncClient) -> None:
    creator = await create_account("creator")
    await create_account("fan")
    await create_account("admin")
    response = await client.get("/api/creators")
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert body["items"] == [
        {
            "id": creator.id,
            "handle": creator.handle,
            "display_name": creator.user["display_name"],
            "avatar_url": None,
            "bio": "",
            "follower_count": 0,
        }
    ]


async def test_search_matches_handle_or_display_name_anywhere_ignoring_case(
    client: httpx.AsyncClient,
) -> None:
    await create_account("creator", handle="ada_lovelace", display_name="Countess")
    await create_account("creator", handle="linus", display_name="Linus Ada")
    await create_account("creator", handle="nevada_sky", display_name="Sky")
    await create_account("creator", handle="grace", display_name="Grace Hopper")
    await create_account("fan", handle="ada_fan", display_name="Ada Fan")

    async def search(q: str) -> set[str]:
        response = await client.get("/api/creators", params={"q": q})
        assert response.status_code == 200, response.text
        return set(handles(response.json()["items"]))

    assert await search("ADA") == {"ada_lovelace", "linus", "nevada_sky"}  # prefix, substring
    assert await search("  hopp ") == {"grace"}
    assert await search("lovelace") == {"ada_lovelace"}
    assert await search("nobody") == set()
    assert len(await search("")) == 4  # a blank query lists everyone


async def test_search_treats_percent_and_underscore_literally(client: httpx.AsyncClient) -> None:
    await create_account("creator", handle="percent", display_name="100% Real")
    await create_account("creator", handle="plain", display_name="Plain Name")
    await create_account("creator", handle="under_score", display_name="Under")
    await create_account("creator", handle="understate", display_name="Under State")
    for q, expected in [("%", ["percent"]), ("0%", ["percent"]), ("r_s", ["under_score"])]:
        response = await client.get("/api/creators", params={"q": q})
        assert handles(response.json()["items"]) == expected, q


async def test_popular_orders_by_follower_count_then_id(client: httpx.AsyncClient) -> None:
    top, second, *quiet = [await create_account("creator") for _ in range(4)]
    for fan in [await create_account("fan") for _ in range(2)]:
        await follow(client, fan, top.handle)
    await follow(client, await create_account("fan"), second.handle)

    body = (await client.get("/api/creators", params={"sort": "popular"})).json()
    assert [item["follower_count"] for item in body["items"]] == [2, 1, 0, 0]
    by_id = sorted(quiet, key=lambda account: uuid.UUID(account.id), reverse=True)
    expected_quiet = [account.handle for account in by_id]
    assert handles(body["items"]) == [top.handle, second.handle, *expected_quiet]
    assert (await client.get("/api/creators")).json() == body  # popular is the default


async def test_new_orders_by_sign_up_time(client: httpx.AsyncClient) -> None:
    creators = [await create_account("creator") for _ in range(4)]
    body = (await client.get("/api/creators", params={"sort": "new"})).json()
    assert handles(body["items"]) == [account.handle for account in reversed(creators)]


@pytest.mark.parametrize("sort", ["popular", "new"])
async def test_pages_hold_every_creator_once_while_others_sign_up(
    client: httpx.AsyncClient, sort: str
) -> None:
    existing = {(await create_account("creator")).handle for _ in range(7)}
    fan = await create_account("fan")
    await follow(client, fan, sorted(existing)[0])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"sort": sort, "limit": "3", **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/creators", params=params)).json()
        seen += handles(body["items"])
        assert len(body["items"]) <= 3
        await create_account("creator")  # a sign-up between two pages
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)


async def test_limit_defaults_to_20_and_accepts_up_to_100(client: httpx.AsyncClient) -> None:
    for _ in range(25):
        await create_account("creator")
    first = (await client.get("/api/creators")).json()
    assert len(first["items"]) == 20
    assert first["next_cursor"] is not None
    everything = (await client.get("/api/creators", params={"limit": "100"})).json()
    assert len(everything["items"]) == 25
    assert everything["next_cursor"] is None
    pages = await walk(client, "/api/creators", {"limit": "10"})
    assert [len(page) for page in pages] == [10, 10, 5]


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not a cursor!"},
        {"cursor": encode_cursor("popular", 1)},
        {"cursor": encode_cursor("popular", "many", str(uuid.uuid4()))},
        {"cursor": encode_cursor("popular", 2**40, str(uuid.uuid4()))},
        {"cursor": encode_cursor("popular", 1, "not-a-uuid")},
        {"cursor": encode_cursor("popular", 1, str(uuid.uuid4())), "sort": "new"},
        {"cursor": encode_cursor("new", "2026-01-01T00:00:00", str(uuid.uuid4())), "sort": "new"},
        {"limit": "0"},
        {"limit": "101"},
        {"sort": "oldest"},
        {"q": "x" * 61},
    ],
)
async def test_bad_query_is_422(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    await create_account("creator")
    response = await client.get("/api/creators", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
