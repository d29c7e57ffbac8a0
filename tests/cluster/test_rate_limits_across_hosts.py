"""A limit counted in the shared Redis holds across instances: failed sign-ins to one
account (`login-account`, 5 per 15 minutes, counted exactly), sent alternately to API A
and API B, are cut off after 5, not after 5 on each. Then even the right password is
refused, on both.
"""

from __future__ import annotations

import re
import time

import httpx

from backend.accounts.policies import LOGIN_ACCOUNT
from tests.cluster.conftest import Cluster
from tests.support.accounts import PASSWORD, create_account

LIMIT = LOGIN_ACCOUNT.item.amount


def _window() -> int:
    """The clock-aligned window the counter of this instant belongs to."""
    return int(time.time() // LOGIN_ACCOUNT.window_seconds)


def _remaining(response: httpx.Response) -> int | None:
    found = re.search(r'"login-account";r=(\d+)', response.headers.get("ratelimit", ""))
    return int(found.group(1)) if found else None


async def _attempts(cluster: Cluster, email: str, count: int) -> list[httpx.Response]:
    """`count` wrong passwords, alternately through A and B."""
    answers = []
    for attempt in range(count):
        api = (cluster.a, cluster.b)[attempt % 2]
        body = {"email": email, "password": "not the password"}
        answers.append(await api.post("/api/auth/login", json=body))
    return answers


async def test_failed_sign_ins_are_cut_off_at_the_limit_across_both_apis(
    cluster: Cluster,
) -> None:
    for _ in range(2):  # a second go only if the first straddled a window's end
        account = await create_account("fan")
        window = _window()
        answers = await _attempts(cluster, account.email, 2 * LIMIT)
        if _window() == window:
            break

    statuses = [answer.status_code for answer in answers]
    assert statuses == [401] * LIMIT + [429] * LIMIT, statuses
    # Each instance saw the other's failures: what is left falls by one per attempt.
    assert [_remaining(answer) for answer in answers[:LIMIT]] == list(range(LIMIT - 1, -1, -1))
    refused = answers[LIMIT].json()["error"]
    assert refused["details"]["policy"] == "login-account", refused
    assert int(answers[LIMIT].headers["retry-after"]) >= 1

    for api in (cluster.a, cluster.b):
        right = await api.post(
            "/api/auth/login", json={"email": account.email, "password": PASSWORD}
        )
        assert right.status_code == 429, right.text
