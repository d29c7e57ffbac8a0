"""The `digis` command: operations for people on call and for scripts."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from backend.cli.accounts import create_admin, seed_demo_command, users
from backend.cli.jobs import jobs, outbox
from backend.cli.media import media
from backend.cli.payments import ledger, stripe
from backend.cli.payouts import payouts
from backend.cli.posts import posts
from backend.cli.runner import (
    EXIT_CODES_HELP,
    EXIT_FINDING,
    EXIT_USAGE,
    UsageProblem,
    dumps,
    emit,
    json_option,
    load_settings_or_exit,
    run_async,
)
from backend.db import tortoise_config
from backend.settings import DEV_SECRETS, MediaStorage, Settings, SettingsError, get_settings


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(package_name="digis", message="digis %(version)s")
def cli() -> None:
    """Operate Digis: migrations, the job pipeline, payments and accounts.

    Every command reads the same environment as the API and the worker (.env.example);
    `--json` prints what a script reads.
    """


# --- digis migrate -----------------------------------------------------------------------


def migrations_dir() -> Path | None:
    """`./migrations` (the image's and a checkout's working directory), else the checkout
    this package was installed from (an editable install)."""
    checkout = Path(__file__).resolve().parents[2]
    for candidate in (Path.cwd() / "migrations", checkout / "migrations"):
        if (candidate / "models").is_dir():
            return candidate
    return None


@cli.command()
@click.option(
    "--migrations",
    "location",
    type=click.Path(file_okay=False, path_type=Path),
    help="The migrations folder (default: ./migrations, else the checkout's).",
)
@json_option
def migrate(location: Path | None, as_json: bool) -> None:
    """Apply every pending migration (a release step, before new code serves).

    Safe to run again: with nothing pending it applies nothing and exits 0.
    """
    settings = load_settings_or_exit()
    location = location or migrations_dir()
    if location is None or not (location / "models").is_dir():
        raise UsageProblem(
            "no migrations folder found: run from the project (or image) directory, "
            "or pass --migrations PATH"
        )

    async def upgrade() -> list[str]:
        from aerich import Command

        config = tortoise_config(settings, "digis-migrate")
        async with Command(tortoise_config=config, location=str(location)) as command:
            applied: list[str] = await command.upgrade(run_in_transaction=True)
        return applied

    applied = run_async(upgrade, settings)
    emit(
        {"applied": applied},
        as_json=as_json,
        human=lambda d: (
            "\n".join(f"applied {name}" for name in d["applied"])
            if d["applied"]
            else "no pending migrations"
        ),
    )


# --- digis check-config ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    variable: str
    message: str


@cli.command("check-config")
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings too.")
def check_config(as_json: bool, strict: bool) -> None:
    """Validate the environment without starting or connecting to anything.

    Exit 2 listing every invalid variable; otherwise 0, with warnings about settings that
    work but are risky in production (exit 1 with --strict).
    """
    try:
        settings = get_settings()
    except SettingsError as error:
        errors = [Problem(variable, message) for variable, message in error.problems]
        if as_json:
            click.echo(dumps({"valid": False, "errors": [asdict(p) for p in errors]}))
        else:
            click.echo(str(error), err=True)
        raise SystemExit(EXIT_USAGE) from None
    warnings = production_warnings(settings, os.environ)
    emit(
        {
            "valid": True,
            "app_env": settings.app_env.value,
            "errors": [],
            "warnings": [asdict(w) for w in warnings],
        },
        as_json=as_json,
        human=lambda d: "\n".join(
            [
                f"configuration is valid (APP_ENV={d['app_env']})",
                *(f"  warning: {w['variable']}: {w['message']}" for w in d["warnings"]),
            ]
        ),
    )
    if strict and warnings:
        raise SystemExit(EXIT_FINDING)


def production_warnings(settings: Settings, environ: Any) -> list[Problem]:
    """Settings that start fine but are not what a production deployment wants."""
    found: list[Problem] = []

    def warn(variable: str, message: str) -> None:
        found.append(Problem(variable, message))

    if settings.jwt_previous_secret is not None:
        warn(
            "JWT_PREVIOUS_SECRET",
            "a rotation is in progress: remove it once ACCESS_TOKEN_TTL_SECONDS "
            "have passed since every instance signs with the new JWT_SECRET",
        )
    if settings.stripe_webhook_previous_secret is not None:
        warn(
            "STRIPE_WEBHOOK_PREVIOUS_SECRET",
            "a rotation is in progress: remove it once Stripe no longer signs with the old secret",
        )
    if not settings.is_production:
        return found

    for name in ("public_url", "frontend_url"):
        if getattr(settings, name).scheme != "https":
            warn(name.upper(), "is not https")
    insecure = [o for o in settings.allowed_origins if not o.startswith("https://")]
    if insecure:
        warn("ALLOWED_ORIGINS", f"allows non-https origins: {', '.join(insecure)}")
    previous = settings.jwt_previous_secret
    if previous is not None and previous.get_secret_value() in DEV_SECRETS:
        warn("JWT_PREVIOUS_SECRET", "is the development secret")
    if settings.stripe_secret_key.get_secret_value().startswith("sk_test_"):
        warn("STRIPE_SECRET_KEY", "is a test-mode key")
    if settings.sentry_dsn is None:
        warn("SENTRY_DSN", "is not set: errors are not reported anywhere")
    if settings.metrics_enabled and settings.metrics_token is None:
        warn(
            "METRICS_TOKEN",
            "is not set: /metrics is public unless the load balancer blocks it",
        )
    if not settings.rate_limit_enabled:
        warn("RATE_LIMIT_ENABLED", "is false: no rate limit protects login or payments")
    if settings.proxies_count == 0:
        warn(
            "PROXIES_COUNT",
            "is 0: behind a load balancer, rate limits see the balancer's address for "
            "every client (set it to the number of proxies in front of the API)",
        )
    if settings.smtp_host in {"127.0.0.1", "localhost"} and settings.smtp_port == 1025:
        warn("SMTP_HOST", "is the development mail sink")
    if settings.api_workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in environ:
        warn(
            "PROMETHEUS_MULTIPROC_DIR",
            "is not set while API_WORKERS > 1: /metrics shows one process at a time",
        )
    if settings.media_storage == MediaStorage.LOCAL and not settings.media_root.is_absolute():
        warn("MEDIA_ROOT", "is a relative path")
    if settings.log_level.upper() == "DEBUG":
        warn("LOG_LEVEL", "is DEBUG")
    return found


cli.add_command(outbox)
cli.add_command(jobs)
cli.add_command(users)
cli.add_command(create_admin)
cli.add_command(seed_demo_command)
cli.add_command(ledger)
cli.add_command(stripe)
cli.add_command(payouts)
cli.add_command(posts)
cli.add_command(media)
