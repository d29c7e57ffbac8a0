"""What the creator's dashboard reads: earnings per day, top supporters, tips with messages."""

from __future__ import annotations

import pytest
from tortoise import timezone

from tests.payouts.conftest import PayoutStack
from tests.payouts.support import tip
from tests.support.accounts import create_account
from tests.wallet.support import fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def test_the_dashboard_shows_each_day_the_supporters_and_the_messages(
    payouts: PayoutStack,
) -> None:
    creator = await create_account("creator")
    regular = await create_account("fan", display_name="Regular Fan")
    await fund(regular, 100)
    for amount, message in [(30, "first"), (20, "second")]:
        sent = await payouts.api.post(
            "/api/tips", json={"creator": creator.handle, "amount": amount, "message": message},
            headers=regular.auth,
        )  # fmt: skip
        assert sent.status_code == 201
    await tip(payouts, creator, 10)  # someone else, once

    days = (await payouts.api.get("/api/earnings/daily", headers=creator.auth)).json()["days"]
    supporters = (await payouts.api.get("/api/earnings/supporters", headers=creator.auth)).json()
    tips = (await payouts.api.get("/api/earnings/tips?limit=2", headers=creator.auth)).json()

    assert len(days) == 30
    assert days[-1] == {"date": timezone.now().date().isoformat(), "tokens": 60}
    assert sum(day["tokens"] for day in days[:-1]) == 0
    top = supporters["items"][0]
    assert (top["user"]["handle"], top["user"]["display_name"]) == (regular.handle, "Regular Fan")
    assert (top["tokens"], top["times"]) == (50, 2)
    assert [s["tokens"] for s in supporters["items"]] == [50, 10]
    assert [t["message"] for t in tips["items"]] == ["for the work", "second"]
    assert tips["items"][1]["fan"]["handle"] == regular.handle
    more = await payouts.api.get(
        "/api/earnings/tips", params={"cursor": tips["next_cursor"]}, headers=creator.auth
    )
    assert [t["message"] for t in more.json()["items"]] == ["first"]
    week = await payouts.api.get("/api/earnings/daily?days=7", headers=creator.auth)
    assert len(week.json()["days"]) == 7
    assert (
        await payouts.api.get("/api/earnings/daily?days=0", headers=creator.auth)
    ).status_code == 422
