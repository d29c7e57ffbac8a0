"""A creator's live notification stream, held open on API B, receives the tip a fan makes
through API A: A commits the tip and its outbox job, a worker runs the job and publishes
on Redis, B relays it. No instance needs to hold both ends.

(Only creators can receive tips, so the stream is the creator's.)"""

from __future__ import annotations

from tests.cluster.conftest import Cluster
from tests.notifications.sse import open_stream
from tests.support.accounts import create_account
from tests.wallet.support import fund


async def test_a_tip_through_a_reaches_a_stream_held_on_b(cluster: Cluster) -> None:
    creator, fan = await create_account("creator"), await create_account("fan")
    await fund(fan, 100)

    async with open_stream(cluster.b, creator.auth) as stream:
        assert await stream.block() == ["retry: 5000"]  # subscribed before the 200
        tipped = await cluster.a.post(
            "/api/tips",
            json={"creator": creator.handle, "amount": 7, "message": "from host A"},
            headers=fan.auth,
        )
        assert tipped.status_code == 201, tipped.text
        pushed = await stream.notification(within=30)

    assert pushed["kind"] == "tip", pushed
    assert pushed["data"]["amount"] == 7
    assert pushed["data"]["message"] == "from host A"
    assert pushed["data"]["from"]["handle"] == fan.handle
    listed = await cluster.a.get("/api/notifications", headers=creator.auth)
    assert listed.json()["items"][0] == pushed  # what A lists is what B pushed
