"""Killing API A (SIGKILL of its process group) in the middle of a stream of tips loses no
committed write: every tip A answered 201 is in the database as answered, every tip that
committed (answered or not) gets its creator's notification from the workers, API B goes
on serving the same balances, and `digis ledger reconcile` finds nothing wrong.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from backend.notifications.models import Notification
from backend.wallet.models import Tip
from backend.wallet.routes import TIPS
from tests.cluster.conftest import Cluster, assert_reconciled
from tests.support.accounts import Account, create_account
from tests.support.waiting import eventually
from tests.wallet.support import fund

FANS = 8  # tips in flight at once
TIPS_PER_FAN = TIPS.item.amount  # each fan's whole allowance, so none is refused
KILL_AFTER = 20  # answered tips before the kill, out of FANS * TIPS_PER_FAN
FUNDS = 1000


@dataclass
class Traffic:
    answered: list[tuple[Account, dict[str, Any]]] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)  # requests the kill left unanswered
    refused: list[str] = field(default_factory=list)  # any other answer: there must be none

    async def tips(self, api: httpx.AsyncClient, fan: Account, creators: list[Account]) -> None:
        """One fan's tips, one after another, until they are done or the API is gone."""
        for n in range(TIPS_PER_FAN):
            body = {"creator": creators[n % 2].handle, "amount": n + 1, "message": f"#{n}"}
            try:
                answer = await api.post("/api/tips", json=body, headers=fan.auth)
            except httpx.TransportError as error:
                self.cut_off.append(f"{fan.handle} #{n}: {error!r}")
                return
            if answer.status_code == 201:
                self.answered.append((fan, answer.json()))
            else:
                self.refused.append(f"{fan.handle} #{n}: {answer.status_code} {answer.text}")


async def test_killing_an_api_mid_traffic_loses_no_committed_tip(cluster: Cluster) -> None:
    creators = [await create_account("creator") for _ in range(2)]
    fans = [await create_account("fan") for _ in range(FANS)]
    for fan in fans:
        await fund(fan, FUNDS)

    traffic = Traffic()
    senders = [asyncio.create_task(traffic.tips(cluster.a, fan, creators)) for fan in fans]

    async def answered() -> int:
        return len(traffic.answered)

    await eventually(answered, lambda n: n >= KILL_AFTER, within=60)
    cluster.kill_api("a")
    await asyncio.gather(*senders)
    assert traffic.refused == []
    assert traffic.cut_off, "the kill cut no request off: the traffic had ended"

    # Every answered tip is in the database, as it was answered.
    for fan, receipt in traffic.answered:
        tip = await Tip.get(id=uuid.UUID(receipt["tip_id"]))
        assert (str(tip.fan_id), tip.amount) == (fan.id, receipt["amount"])
    committed = await Tip.all().count()
    assert committed >= len(traffic.answered)  # plus any committed as A died

    # B serves the balances the committed tips left.
    for fan in fans:
        spent = sum([tip.amount for tip in await Tip.filter(fan_id=fan.id)])
        wallet = await cluster.b.get("/api/wallet", headers=fan.auth)
        assert wallet.status_code == 200, wallet.text
        assert wallet.json()["balance"] == FUNDS - spent

    # Each committed tip's outbox job ran, even one A had no time to publish.
    async def tip_notices() -> int:
        return await Notification.filter(kind="tip").count()

    await eventually(tip_notices, lambda n: n == committed, within=60)
    await assert_reconciled()
