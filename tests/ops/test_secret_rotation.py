"""Rotating JWT_SECRET without signing anyone out (docs/runbooks/rotate-secrets.md).

During a rolling deploy old and new API instances serve side by side, so the rotation has
three steps, each rolled out to every instance before the next:
1. accept the new secret too:  JWT_SECRET=old, JWT_PREVIOUS_SECRET=new
2. sign with the new secret:   JWT_SECRET=new, JWT_PREVIOUS_SECRET=old
3. after ACCESS_TOKEN_TTL_SECONDS: JWT_SECRET=new, no previous secret
A token from any instance of two neighbouring steps is accepted by every other.
(Stripe's webhook secret: tests/payments/test_webhook_signature.py.)
"""

from __future__ import annotations

import itertools
import secrets
import uuid
from contextlib import AsyncExitStack

import httpx
import pytest

from backend.accounts import sessions
from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.accounts.tokens import AccessTokenVerifier, InvalidToken, issue_access_token
from backend.settings import Settings
from tests.support.accounts import create_account
from tests.support.server import serve, with_overrides

pytestmark = pytest.mark.usefixtures("database")

OLD, NEW = secrets.token_hex(32), secrets.token_hex(32)
STEPS: dict[str, dict[str, str | None]] = {
    "before": {"jwt_secret": OLD, "jwt_previous_secret": None},
    "1 accept new": {"jwt_secret": OLD, "jwt_previous_secret": NEW},
    "2 sign with new": {"jwt_secret": NEW, "jwt_previous_secret": OLD},
    "3 after": {"jwt_secret": NEW, "jwt_previous_secret": None},
}


def step(settings: Settings, name: str) -> Settings:
    return with_overrides(settings, rate_limit_enabled=False, **STEPS[name])


def test_the_verifier_accepts_the_current_and_the_previous_secret(settings: Settings) -> None:
    user, session = uuid.uuid4(), uuid.uuid4()
    signed_old = issue_access_token(step(settings, "before"), user, Role.FAN, session)
    signed_new = issue_access_token(step(settings, "3 after"), user, Role.FAN, session)
    signed_other = issue_access_token(
        with_overrides(settings, jwt_secret=secrets.token_hex(32)), user, Role.FAN, session
    )

    for name in ("1 accept new", "2 sign with new"):
        verifier = AccessTokenVerifier(step(settings, name))
        assert verifier.verify(signed_old).user_id == user
        assert verifier.verify(signed_new).user_id == user
        with pytest.raises(InvalidToken):
            verifier.verify(signed_other)
    with pytest.raises(InvalidToken):
        AccessTokenVerifier(step(settings, "3 after")).verify(signed_old)
    with pytest.raises(InvalidToken):
        AccessTokenVerifier(step(settings, "before")).verify(signed_new)


async def test_a_rolling_rotation_never_rejects_a_live_token(settings: Settings) -> None:
    account = await create_account("fan")
    user = uuid.UUID(account.id)
    session = (await sessions.start_family(settings, await User.get(id=user))).family_id
    async with AsyncExitStack() as stack:
        apis: dict[str, httpx.AsyncClient] = {
            name: await stack.enter_async_context(serve(step(settings, name))) for name in STEPS
        }
        tokens = {
            name: issue_access_token(step(settings, name), user, Role.FAN, session)
            for name in STEPS
        }

        async def status(api: str, token: str) -> int:
            headers = {"Authorization": f"Bearer {tokens[token]}"}
            return (await apis[api].get("/api/me", headers=headers)).status_code

        names = list(STEPS)
        for earlier, later in itertools.pairwise(names):
            # Instances of two neighbouring steps serve together: each accepts the other's.
            for api in (earlier, later):
                for token in (earlier, later):
                    assert await status(api, token) == 200, (api, token)
        # Once every instance is at step 3, a token signed with the old secret is refused.
        assert await status("3 after", "before") == 401
