"""The `digis` command as installed: every command's output, `--json` and exit codes.

0 done, 1 a finding or a refusal, 2 bad configuration or usage (an unknown id or email
included), 3 the database or the broker unreachable.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from tortoise import timezone

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.demo.seed import DEMO_USERS
from backend.outbox.models import JobStatus, OutboxJob
from backend.payments.models import StripeEvent
from backend.settings import Settings
from tests.support.accounts import PASSWORD, create_account
from tests.support.cli import base_env, digis
from tests.support.database import create_database, drop_database, server_url_from_env
from tests.support.probe import Probe
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import fund

pytestmark = pytest.mark.usefixtures("database")

UNREACHABLE = {"DATABASE_URL": "postgres://postgres@127.0.0.1:9/digis"}
NO_BROKER = {"CELERY_BROKER_URL": "redis://127.0.0.1:9/0"}
MIGRATION_FILES = sorted(
    (p.name for p in (Path(__file__).parents[2] / "migrations" / "models").glob("*.py")),
    key=lambda name: int(name.split("_", 1)[0]),  # aerich's order: 9 before 10
)


def production_env(**extra: str) -> dict[str, str]:
    return base_env(
        APP_ENV="production",
        JWT_SECRET=secrets.token_hex(32),
        STRIPE_SECRET_KEY="sk_live_" + secrets.token_hex(24),
        STRIPE_WEBHOOK_SECRET="whsec_" + secrets.token_hex(24),
        STRIPE_CONNECT_WEBHOOK_SECRET="whsec_" + secrets.token_hex(24),
        MEDIA_SIGNING_KEY=secrets.token_hex(32),
        **extra,
    )


# --- check-config ------------------------------------------------------------------------


async def test_check_config_accepts_the_session_environment() -> None:
    human = await digis("check-config")
    assert human.returncode == 0, human
    assert "configuration is valid (APP_ENV=test)" in human.stdout

    as_json = await digis("check-config", "--json")
    assert as_json.returncode == 0
    assert as_json.json() == {"valid": True, "app_env": "test", "errors": [], "warnings": []}


async def test_check_config_lists_every_invalid_variable_and_exits_2() -> None:
    env = base_env(APP_ENV="production", REDIS_URL="not a url")
    env.pop("DATABASE_URL")

    human = await digis("check-config", env=env)
    assert human.returncode == 2
    for variable in (
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_SECRET",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_CONNECT_WEBHOOK_SECRET",
    ):
        assert variable in human.stderr

    as_json = await digis("check-config", "--json", env=env)
    assert as_json.returncode == 2
    report = as_json.json()
    assert report["valid"] is False
    assert {e["variable"] for e in report["errors"]} == {
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_SECRET",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_CONNECT_WEBHOOK_SECRET",
        "MEDIA_SIGNING_KEY",
    }


async def test_check_config_warns_about_risky_production_settings() -> None:
    risky = await digis("check-config", "--json", env=production_env())
    assert risky.returncode == 0, risky
    warned = {w["variable"] for w in risky.json()["warnings"]}
    assert {"PUBLIC_URL", "ALLOWED_ORIGINS", "SENTRY_DSN", "METRICS_TOKEN"} <= warned
    assert (await digis("check-config", "--strict", env=production_env())).returncode == 1

    tidy = production_env(
        PUBLIC_URL="https://api.digis.example",
        FRONTEND_URL="https://digis.example",
        ALLOWED_ORIGINS="https://digis.example",
        SENTRY_DSN="https://key@o0.ingest.sentry.io/1",
        METRICS_TOKEN=secrets.token_hex(16),
        PROXIES_COUNT="1",
        SMTP_HOST="smtp.digis.example",
        SMTP_PORT="587",
        MEDIA_ROOT="/data/media",
        LOG_LEVEL="INFO",
    )
    clean = await digis("check-config", "--strict", "--json", env=tidy)
    assert clean.returncode == 0, clean
    assert clean.json()["warnings"] == []

    rotating = dict(tidy, JWT_PREVIOUS_SECRET=secrets.token_hex(32))
    reminded = await digis("check-config", "--json", env=rotating)
    assert reminded.returncode == 0
    assert [w["variable"] for w in reminded.json()["warnings"]] == ["JWT_PREVIOUS_SECRET"]


# --- migrate -----------------------------------------------------------------------------


async def test_migrate_is_a_no_op_on_a_migrated_database(tmp_path: Path) -> None:
    again = await digis("migrate")
    assert again.returncode == 0, again
    assert again.stdout.strip() == "no pending migrations"

    elsewhere = await digis("migrate", "--json", cwd=tmp_path)  # any working directory
    assert elsewhere.returncode == 0, elsewhere
    assert elsewhere.json() == {"applied": []}


async def test_migrate_builds_an_empty_database() -> None:
    server = server_url_from_env()
    name = f"digis_ops_{uuid.uuid4().hex[:8]}"
    url = await create_database(server, name)
    try:
        env = base_env(DATABASE_URL=url)
        built = await digis("migrate", "--json", env=env)
        assert built.returncode == 0, built
        assert [Path(n).name for n in built.json()["applied"]] == MIGRATION_FILES

        assert (await digis("migrate", env=env)).stdout.strip() == "no pending migrations"
        checked = await digis("ledger", "reconcile", "--json", env=env)
        assert checked.returncode == 0, checked
        assert checked.json()["clean"] is True
    finally:
        await drop_database(server, name)


async def test_an_unreachable_database_is_one_line_and_exit_3() -> None:
    for command in (
        ["migrate"],
        ["outbox", "status"],
        ["jobs", "failed"],
        ["ledger", "reconcile"],
        ["stripe", "events"],
        ["users", "show", "x@example.com"],
    ):
        ran = await digis(*command, env=base_env(**UNREACHABLE))
        assert ran.returncode == 3, ran
        assert ran.stderr.startswith("Error: cannot reach the database:"), ran
        assert "Traceback" not in ran.stderr


async def test_usage_errors_exit_2() -> None:
    assert (await digis("no-such-command")).returncode == 2
    assert (await digis("jobs", "retry", "not-a-number")).returncode == 2
    assert (await digis("stripe", "events", "--limit", "0")).returncode == 2


# --- seed-demo and create-admin ----------------------------------------------------------


async def test_seed_demo_is_idempotent_and_refused_in_production() -> None:
    first = await digis("seed-demo")
    assert first.returncode == 0, first
    assert "demo-password-123" in first.stdout
    assert (await digis("seed-demo")).returncode == 0
    emails = {u.email for u in DEMO_USERS}
    assert await User.filter(email__in=emails).count() == len(emails)

    refused = await digis("seed-demo", env=production_env())
    assert refused.returncode == 1
    assert "refusing to seed demo accounts in production" in refused.stderr
    await OutboxJob.filter(status=JobStatus.PENDING).update(status=JobStatus.SUCCEEDED)


async def test_create_admin_creates_or_promotes(client: httpx.AsyncClient) -> None:
    created = await digis(
        "create-admin", "ops@example.com", "--handle", "ops", "--password", PASSWORD
    )
    assert created.returncode == 0, created
    assert created.stdout.strip() == "admin ops@example.com created"
    signed_in = await client.post(
        "/api/auth/login", json={"email": "ops@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    assert signed_in.json()["user"]["role"] == "admin"

    fan = await create_account("fan")
    promoted = await digis("create-admin", fan.email, "--handle", "x", "--password", PASSWORD)
    assert promoted.returncode == 0
    assert (await User.get(email=fan.email)).role == Role.ADMIN

    weak = await digis("create-admin", "a@example.com", "--handle", "a", "--password", "short")
    assert weak.returncode == 2
    assert "password must be 10 to 128 characters" in weak.stderr
    taken = await digis("create-admin", "b@example.com", "--handle", "ops", "--password", PASSWORD)
    assert taken.returncode == 2
    assert "handle ops is taken" in taken.stderr


# --- users -------------------------------------------------------------------------------


async def test_users_show_describes_an_account(client: httpx.AsyncClient) -> None:
    fan = await create_account("fan")
    await fund(fan, 250)

    shown = await digis("users", "show", fan.email.upper(), "--json")
    assert shown.returncode == 0, shown
    account = shown.json()
    assert (account["email"], account["role"], account["balance"]) == (fan.email, "fan", 250)
    assert account["active_sessions"] == 1
    assert account["password_locked"] is False
    assert [(e["kind"], e["amount"]) for e in account["entries"]] == [("purchase", 250)]
    assert [p["status"] for p in account["purchases"]] == ["paid"]

    human = await digis("users", "show", fan.email)
    assert "balance: 250 tokens" in human.stdout

    missing = await digis("users", "show", "nobody@example.com")
    assert missing.returncode == 2
    assert "no account with email nobody@example.com" in missing.stderr


async def test_revoke_sessions_signs_out_everywhere_and_can_lock_the_password(
    client: httpx.AsyncClient,
) -> None:
    fan = await create_account("fan")
    assert (await client.get("/api/me", headers=fan.auth)).status_code == 200

    revoked = await digis("users", "revoke-sessions", fan.email, "--json")
    assert revoked.returncode == 0, revoked
    assert revoked.json() == {
        "email": fan.email,
        "revoked_refresh_tokens": 1,
        "password_locked": False,
    }
    assert (await client.get("/api/me", headers=fan.auth)).status_code == 401
    login = {"email": fan.email, "password": PASSWORD}
    assert (await client.post("/api/auth/login", json=login)).status_code == 200

    locked = await digis("users", "revoke-sessions", fan.email, "--lock-password")
    assert locked.returncode == 0, locked
    assert "password locked" in locked.stdout
    assert (await client.post("/api/auth/login", json=login)).status_code == 401
    shown = (await digis("users", "show", fan.email, "--json")).json()
    assert (shown["active_sessions"], shown["password_locked"]) == (0, True)

    assert (await digis("users", "revoke-sessions", "nobody@example.com")).returncode == 2


# --- outbox and jobs ---------------------------------------------------------------------


async def test_outbox_status_counts_jobs_and_queue_depths(redis: Redis) -> None:
    namespace = f"digis-ops-{uuid.uuid4().hex[:8]}"  # a broker no worker consumes from
    env = base_env(REDIS_NAMESPACE=namespace)
    old = timezone.now() - timedelta(minutes=5)
    pending = [
        await OutboxJob.create(task="tests.record", args=[uuid.uuid4().hex]) for _ in range(3)
    ]
    await OutboxJob.filter(id=pending[0].id).update(created_at=old)
    await OutboxJob.create(task="tests.record", args=["x"], status=JobStatus.FAILED)
    try:
        before = await digis("outbox", "status", "--json", env=env)
        assert before.returncode == 0, before
        status = before.json()
        assert (status["pending"], status["running"], status["failed"]) == (3, 0, 1)
        assert status["overdue"] == 3  # written without a due time: presumed lost
        assert status["oldest_pending_age_seconds"] >= 300
        assert status["queues"] == {"webhooks": 0, "media": 0, "notifications": 0, "default": 0}

        flushed = await digis("outbox", "flush", "--json", env=env)
        assert flushed.returncode == 0, flushed
        assert flushed.json() == {"pending": 3, "published": [j.id for j in pending]}

        after = (await digis("outbox", "status", "--json", env=env)).json()
        assert (after["pending"], after["running"], after["overdue"]) == (3, 0, 0)
        assert after["queues"]["default"] == 3

        human = await digis("outbox", "status", env=env)
        assert "queues: webhooks 0, media 0, notifications 0, default 3" in human.stdout
    finally:
        await OutboxJob.all().update(status=JobStatus.SUCCEEDED)
        async for key in redis.scan_iter(match=f"{namespace}:*"):
            await redis.delete(key)


async def test_an_unreachable_broker_is_reported(redis: Redis) -> None:
    job = await OutboxJob.create(task="tests.record", args=[uuid.uuid4().hex])
    try:
        status = await digis("outbox", "status", "--json", env=base_env(**NO_BROKER))
        assert status.returncode == 0, status
        assert status.json()["queues"] is None
        assert "ConnectionError" in status.json()["broker_error"]

        flushed = await digis("outbox", "flush", env=base_env(**NO_BROKER))
        assert flushed.returncode == 3, flushed
        assert "the broker is unreachable" in flushed.stderr
        assert (await OutboxJob.get(id=job.id)).status == JobStatus.PENDING
    finally:
        await OutboxJob.filter(id=job.id).update(status=JobStatus.SUCCEEDED)


async def test_jobs_failed_and_retry(worker: Process, redis: Redis) -> None:
    token = uuid.uuid4().hex
    failed = await OutboxJob.create(
        task="tests.record",
        args=[token],
        status=JobStatus.FAILED,
        run_attempts=9,
        last_error="ConnectionError: the mail server went away",
        finished_at=timezone.now(),
    )
    done = await OutboxJob.create(task="tests.record", args=["y"], status=JobStatus.SUCCEEDED)

    listed = await digis("jobs", "failed", "--json")
    assert listed.returncode == 0, listed
    [row] = listed.json()
    assert (row["id"], row["task"], row["status"]) == (failed.id, "tests.record", "failed")
    assert row["last_error"] == "ConnectionError: the mail server went away"
    assert "the mail server went away" in (await digis("jobs", "failed")).stdout

    retried = await digis("jobs", "retry", str(failed.id), "--json")
    assert retried.returncode == 0, retried
    assert retried.json() == {"job_id": failed.id, "published": True}
    await eventually(lambda: Probe(redis, token).count("effects"), lambda n: n == 1)
    await eventually(lambda: OutboxJob.get(id=failed.id), lambda j: j.status == JobStatus.SUCCEEDED)
    assert (await digis("jobs", "failed")).stdout.strip() == "no failed jobs"

    already = await digis("jobs", "retry", str(done.id))
    assert already.returncode == 1
    assert "already succeeded" in already.stderr
    unknown = await digis("jobs", "retry", "987654321")
    assert unknown.returncode == 2
    assert "no job has id 987654321" in unknown.stderr


# --- stripe and ledger -------------------------------------------------------------------


async def test_stripe_replay_reports_in_json() -> None:
    await StripeEvent.create(
        id="evt_ops_handled",
        type="checkout.session.completed",
        payload={"id": "evt_ops_handled"},
        stripe_created_at=timezone.now(),
        handled_at=timezone.now(),
        outcome="credited 100 tokens",
    )
    listed = await digis("stripe", "events", "--json")
    assert [e["id"] for e in listed.json()] == ["evt_ops_handled"]
    assert (await digis("stripe", "events", "--unhandled", "--json")).json() == []

    handled = await digis("stripe", "replay", "evt_ops_handled", "--json")
    assert handled.returncode == 0, handled
    assert handled.json() == {"event_id": "evt_ops_handled", "handled": True, "published": False}

    unknown = await digis("stripe", "replay", "evt_nope", "--json")
    assert unknown.returncode == 2
    assert "event evt_nope is not in the inbox" in unknown.stderr


async def test_ledger_reconcile_is_clean_on_an_empty_ledger() -> None:
    checked = await digis("ledger", "reconcile", "--json")
    assert checked.returncode == 0, checked
    assert checked.json()["clean"] is True
    assert (await digis("ledger", "reconcile")).stdout.startswith("ledger is consistent")


async def test_every_command_has_help_with_the_exit_codes(settings: Settings) -> None:
    top = await digis("--help")
    assert "Exit codes: 0 done; 1 a finding" in top.stdout
    for command in (
        "migrate",
        "seed-demo",
        "create-admin",
        "check-config",
        "stripe",
        "outbox",
        "jobs",
        "ledger",
        "users",
        "payouts",
        "posts",
        "media",
    ):
        assert command in top.stdout
    for group, commands in {
        "stripe": ("replay", "events"),
        "outbox": ("status", "flush"),
        "jobs": ("failed", "retry"),
        "ledger": ("reconcile",),
        "users": ("revoke-sessions", "show"),
        "payouts": ("list", "show", "retry"),
        "posts": ("backfill",),
        "media": ("previews",),
    }.items():
        shown = await digis(group, "--help")
        assert shown.returncode == 0
        for command in commands:
            assert command in shown.stdout, (group, command)
