from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from backend.notifications.models import Notification
from backend.notifications.service import notify
from tests.creators.support import walk
from tests.support.accounts import Account, create_account

pytestmark = pytest.mark.usefixtures("database")


async def _notices(account: Account, count: int) -> list[Notification]:
    made = []
    for number in range(count):
        notice = await notify(uuid.UUID(account.id), "tip", {"amount": number})
        assert notice is not None
        made.append(notice)
    return made


async def _unread(client: httpx.AsyncClient, account: Account) -> int:
    response = await client.get("/api/notifications/unread-count", headers=account.auth)
    assert response.status_code == 200
    count: int = response.json()["count"]
    return count


async def _mark(client: httpx.AsyncClient, account: Account, body: Any) -> httpx.Response:
    return await client.post("/api/notifications/read", json=body, headers=account.auth)


async def test_lists_own_notifications_newest_first(client: httpx.AsyncClient) -> None:
    user, other = await create_account(), await create_account()
    made = await _notices(user, 5)
    await _notices(other, 2)
    response = await client.get("/api/notifications", headers=user.auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [notice.id for notice in reversed(made)]
    assert items[0]["kind"] == "tip"
    assert items[0]["data"] == {"amount": 4}
    assert items[0]["read_at"] is None
    assert set(items[0]) == {"id", "kind", "data", "created_at", "read_at"}
    pages = await walk(client, "/api/notifications", {"limit": "2"}, user.auth)
    assert [len(page) for page in pages] == [2, 2, 1]


async def test_mark_some_read_then_all(client: httpx.AsyncClient) -> None:
    user, other = await create_account(), await create_account()
    made = await _notices(user, 4)
    others = await _notices(other, 1)
    assert await _unread(client, user) == 4

    response = await _mark(client, user, {"ids": [made[0].id, made[1].id, others[0].id, 999999]})
    assert response.status_code == 200
    assert response.json() == {"updated": 2, "unread": 2}
    again = await _mark(client, user, {"ids": [made[0].id]})
    assert again.json() == {"updated": 0, "unread": 2}
    assert await _unread(client, other) == 1  # someone else's notice was not touched

    unread = await client.get("/api/notifications", params={"unread": "true"}, headers=user.auth)
    assert [item["id"] for item in unread.json()["items"]] == [made[3].id, made[2].id]
    everything = await client.get(
        "/api/notifications", params={"unread": "false"}, headers=user.auth
    )
    listed = everything.json()["items"]
    assert len(listed) == 4
    assert [item["read_at"] is not None for item in listed] == [False, False, True, True]

    assert (await _mark(client, user, {"all": True})).json() == {"updated": 2, "unread": 0}
    assert await _unread(client, user) == 0
    assert await _unread(client, other) == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": [1], "all": True}, {"all": False}, {"ids": ["x"]}, {"ids": [0]}, {"ids": None}],
)
async def test_mark_read_needs_exactly_one_of_ids_or_all(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    user = await create_account()
    response = await _mark(client, user, body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


async def test_notifications_need_a_session(client: httpx.AsyncClient) -> None:
    user = await create_account()
    assert (await client.get("/api/notifications")).status_code == 401
    assert (await client.get("/api/notifications/unread-count")).status_code == 401
    assert (await client.post("/api/notifications/read", json={"all": True})).status_code == 401
    bad = await client.get("/api/notifications", params={"cursor": "bad"}, headers=user.auth)
    assert bad.status_code == 422
