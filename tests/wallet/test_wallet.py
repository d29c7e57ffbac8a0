"""The balance and the ledger entries, as the signed-in user sees them."""

from __future__ import annotations

import httpx
import pytest

from tests.support.accounts import create_account
from tests.wallet.support import fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_a_new_user_has_an_empty_wallet(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    assert (await client.get("/api/wallet", headers=fan.auth)).json() == {"balance": 0}
    entries = await client.get("/api/wallet/entries", headers=fan.auth)
    assert entries.json() == {"items": [], "next_cursor": None}


async def test_entries_come_newest_first_page_by_page(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    purchases = [str(await fund(fan, tokens)) for tokens in (1, 2, 3, 4, 5)]

    seen: list[tuple[int, str]] = []
    cursor = None
    for _ in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await client.get("/api/wallet/entries", params=params, headers=fan.auth)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [(item["amount"], item["reference"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [(5, purchases[4]), (4, purchases[3]), (3, purchases[2]), (2, purchases[1]),
                    (1, purchases[0])]  # fmt: skip
    assert (await client.get("/api/wallet", headers=fan.auth)).json() == {"balance": 15}


async def test_one_user_never_sees_another_users_entries(client: httpx.AsyncClient) -> None:
    rich, other = await create_account("fan"), await create_account("fan")
    await fund(rich, 10)
    response = await client.get("/api/wallet/entries", headers=other.auth)
    assert response.json()["items"] == []


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJhIl0", "WzBd"])
async def test_a_bad_cursor_is_422(client: httpx.AsyncClient, cursor: str) -> None:
    fan = await create_account("fan")
    await fund(fan, 10)
    response = await client.get("/api/wallet/entries", params={"cursor": cursor}, headers=fan.auth)
    assert response.status_code == 422


async def test_the_wallet_needs_a_signed_in_user(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/wallet")).status_code == 401
    assert (await client.get("/api/wallet/entries")).status_code == 401
