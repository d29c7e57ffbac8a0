"""Every command of every runbook, run as written against a real stack.

Each runbook meets the incident it is for: a fan paid but the Stripe event's job failed,
a side-effect job failed, a webhook delivery was refused. The test runs each line of the
page's ```sh blocks in order (docs/runbooks/README.md says how lines are read), asserts
its exit code, then checks that the page's fix really fixed the incident.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis
from tortoise import connections, timezone

from backend.accounts.models import RefreshToken, User
from backend.cli.accounts import LOCKED_PASSWORD
from backend.outbox import publisher
from backend.outbox.models import JobStatus, OutboxJob
from backend.outbox.publisher import JobMessage
from backend.outbox.transaction import transaction
from backend.payouts import lifecycle
from backend.payouts import service as payouts_service
from backend.payouts.models import AccountState, Payout, PayoutAccount, PayoutStatus
from backend.settings import Settings
from backend.wallet.schemas import TipIn
from backend.wallet.tips import send_tip
from tests.ops.runbooks import PROGRAMS, RUNBOOKS, commands, run_command, runbook_paths
from tests.ops.support import postgres_client_tools
from tests.payments.stack import Stack, deliver, recording_stack
from tests.payments.support import (
    SMALL_TOKENS,
    credits,
    event,
    handled,
    pay,
    start_checkout,
    stored_unprocessed,
)
from tests.support.accounts import Account, create_account
from tests.support.cli import base_env
from tests.support.database import ROOT, with_database
from tests.support.probe import Probe
from tests.support.server import with_overrides
from tests.support.waiting import eventually
from tests.support.worker import Process, worker_env
from tests.wallet.support import balance, fund

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


@pytest.fixture(scope="module")
async def recorder(settings: Settings, redis: Redis) -> AsyncIterator[Stack]:
    """The API on a real port, and an emulator whose events the test delivers itself."""
    async with recording_stack(settings, rate_limit_enabled=False) as running:
        yield running


@dataclass(frozen=True)
class Incident:
    fan: Account
    purchase_id: str
    event_id: str
    job_id: int
    job_token: str
    env: dict[str, str]
    creator: Account
    payout_id: uuid.UUID


async def failed_payout(settings: Settings) -> tuple[Account, uuid.UUID]:
    """A creator whose payout the bank refused (as `payout.failed` records it); its job
    was never published (no money can have moved)."""
    creator = await create_account("creator")
    await PayoutAccount.create(
        user_id=creator.id, stripe_account_id=f"acct_{uuid.uuid4().hex[:12]}",
        state=AccountState.ENABLED, payouts_enabled=True, details_submitted=True,
    )  # fmt: skip
    user = await User.get(id=creator.id)
    held = publisher.current()
    publisher.install(None)
    try:
        as_earned = with_overrides(settings, earnings_hold_days=0)
        await tip_to(creator, 300)
        payout = await payouts_service.request_payout(as_earned, user, 300, timezone.now())
    finally:
        publisher.install(held)
    async with transaction() as tx:
        row = await lifecycle.locked(payout.id)
        assert row is not None
        await lifecycle.failed(row, "account_closed", "The bank account has been closed.", tx)
    # Now its jobs may run: the payout is over, so its job sends nothing to Stripe.
    waiting = await OutboxJob.filter(status=JobStatus.PENDING)
    active = publisher.current()
    assert active is not None
    await active.publish([JobMessage(j.id, j.task, list(j.args), None) for j in waiting])
    return creator, payout.id


async def tip_to(creator: Account, tokens: int) -> None:
    fan = await create_account("fan")
    await fund(fan, tokens)
    tip = TipIn(creator=creator.handle, amount=tokens)
    await send_tip(await User.get(id=fan.id), tip)


async def incident(stack: Stack, settings: Settings, database: str, folder: Path) -> Incident:
    fan = await create_account("fan")
    checkout = await start_checkout(stack, fan)
    await pay(stack, checkout)
    completed = await event(stack, checkout.session_id, "checkout.session.completed")
    await stored_unprocessed(completed, "ConnectionError: the database went away")
    token = uuid.uuid4().hex
    failed = await OutboxJob.create(
        task="tests.record", args=[token], status=JobStatus.FAILED, run_attempts=9,
        last_error="ConnectionError: the mail server went away", finished_at=timezone.now(),
    )  # fmt: skip
    refused = await deliver(stack.api, completed, "whsec_not_the_endpoint_secret")
    assert refused.status_code == 400  # the webhook route has answered, as in production
    creator, payout_id = await failed_payout(settings)
    restored = f"digis_restored_{uuid.uuid4().hex[:10]}"
    tools = await postgres_client_tools(database)
    env = worker_env(
        base_env(),
        API_URL=str(stack.api.base_url).rstrip("/"),
        EVENT_ID=completed["id"],
        JOB_ID=str(failed.id),
        PAYOUT_ID=str(payout_id),
        EMAIL=fan.email,
        BACKUP_FILE=str(folder / "digis.dump"),
        RESTORED_DB=restored,
        RESTORED_URL=with_database(database, restored),
        METRICS_TOKEN="",
        JWT_SECRET=settings.jwt_secret.get_secret_value(),
        NEW_JWT_SECRET=secrets.token_hex(32),
        STRIPE_WEBHOOK_SECRET=stack.secret,
        NEW_WEBHOOK_SECRET="whsec_" + secrets.token_hex(24),
    )
    env["PATH"] = f"{tools}:{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)  # the test worker's own task module, tests.support.tasks
    return Incident(
        fan, checkout.purchase_id, completed["id"], failed.id, token, env, creator, payout_id
    )


async def the_purchase_is_credited_once(incident: Incident, redis: Redis) -> None:
    await handled(incident.event_id)
    assert await credits(incident.purchase_id) == 1
    assert await balance(incident.fan) == SMALL_TOKENS


async def the_failed_job_ran_once(incident: Incident, redis: Redis) -> None:
    await eventually(
        lambda: OutboxJob.get(id=incident.job_id), lambda j: j.status == JobStatus.SUCCEEDED
    )
    assert await Probe(redis, incident.job_token).count("effects") == 1


async def the_account_is_locked_out(incident: Incident, redis: Redis) -> None:
    user = await User.get(email=incident.fan.email)
    assert user.password_hash == LOCKED_PASSWORD


async def the_account_is_signed_out(incident: Incident, redis: Redis) -> None:
    live = await RefreshToken.filter(user_id=incident.fan.id, revoked_at=None).count()
    assert live == 0
    await the_purchase_is_credited_once(incident, redis)


async def the_payout_failed_and_its_tokens_are_back(incident: Incident, redis: Redis) -> None:
    payout = await Payout.get(id=incident.payout_id)
    assert payout.status == PayoutStatus.FAILED
    assert payout.return_movement_id is not None
    assert await balance(incident.creator) == 300
    await nothing_changed(incident, redis)


async def nothing_changed(incident: Incident, redis: Redis) -> None:
    assert await credits(incident.purchase_id) == 0


async def the_drill_copy_is_gone(incident: Incident, redis: Redis) -> None:
    await nothing_changed(incident, redis)
    rows = await connections.get("default").execute_query_dict(
        "SELECT 1 FROM pg_database WHERE datname = $1", [incident.env["RESTORED_DB"]]
    )
    assert rows == []


Outcome = Callable[[Incident, Redis], Awaitable[None]]
OUTCOMES: dict[str, Outcome] = {
    "account-takeover.md": the_account_is_locked_out,
    "chargeback.md": the_account_is_signed_out,
    "outbox-backlog.md": the_failed_job_ran_once,
    "payout-failed.md": the_payout_failed_and_its_tokens_are_back,
    "restore-database.md": the_drill_copy_is_gone,
    "rotate-secrets.md": nothing_changed,
    "scaling-workers.md": nothing_changed,
    "stripe-replay.md": the_purchase_is_credited_once,
    "stripe-webhooks.md": the_purchase_is_credited_once,
}


def test_every_runbook_is_listed_and_checked() -> None:
    pages = {p.name for p in runbook_paths()}
    assert pages == set(OUTCOMES)
    index = (RUNBOOKS / "README.md").read_text()
    for page in pages:
        assert f"]({page})" in index, page


@pytest.mark.parametrize("page", sorted(OUTCOMES))
async def test_every_command_of_the_runbook_runs_as_written(
    page: str,
    recorder: Stack,
    worker: Process,
    settings: Settings,
    database: str,
    redis: Redis,
    tmp_path: Path,
) -> None:
    happening = await incident(recorder, settings, database, tmp_path)
    lines = commands(RUNBOOKS / page)
    assert lines, f"{page} has no commands"
    for command in lines:
        assert command.program in PROGRAMS, f"{page}:{command.line}: {command.text}"
        ran = await run_command(command, happening.env, tmp_path)
        assert ran.returncode == command.expected_exit, f"{page}:{command.line}\n{ran}"
    await OUTCOMES[page](happening, redis)
