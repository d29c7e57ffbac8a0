"""Run one async command with the database open, and print for people or for scripts.

Exit codes, the same for every `digis` command:

    0  done (or nothing needed doing, which the output says)
    1  a finding or a refusal: a reconciliation violation, a job that cannot be retried
    2  bad configuration or usage: an invalid environment, a wrong option, an id or an
       email that names nothing
    3  a dependency is unreachable: the database (or the broker, where it is needed)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from asyncpg.exceptions import InvalidAuthorizationSpecificationError, InvalidCatalogNameError
from tortoise.exceptions import DBConnectionError

from backend import db
from backend.observability.logging import configure_logging
from backend.settings import Settings, SettingsError, get_settings

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 a finding or a refusal (e.g. a ledger violation); "
    "2 bad configuration or usage (including an id or email that names nothing); "
    "3 the database or the broker is unreachable."
)


class Finding(click.ClickException):
    """The command ran and found a problem, or refused to act (exit 1)."""

    exit_code = EXIT_FINDING


class UsageProblem(click.ClickException):
    """The command was given something that cannot work: exit 2, like a bad option."""

    exit_code = EXIT_USAGE


class Unavailable(click.ClickException):
    """The database or the broker could not be reached (exit 3)."""

    exit_code = EXIT_UNAVAILABLE


def load_settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise UsageProblem(str(error)) from None


def run_with_db(work: Callable[[], Awaitable[T]], *, application: str = "digis-cli") -> T:
    """Run `work` with Tortoise initialised for this process."""
    settings = load_settings_or_exit()

    async def main() -> T:
        await db.init_db(settings, application_name=application)
        try:
            return await work()
        finally:
            await db.close_db()

    return run_async(main, settings)


def run_async(main: Callable[[], Awaitable[T]], settings: Settings) -> T:
    """Run `main`; an unreachable database becomes a one-line message and exit 3."""
    configure_logging(process="cli", level="WARNING", json_lines=settings.json_logs)
    try:
        return asyncio.run(_awaited(main))
    # A database that is missing or refuses these credentials is as unreachable as a down one.
    except (
        OSError,
        DBConnectionError,
        InvalidCatalogNameError,
        InvalidAuthorizationSpecificationError,
    ) as error:
        raise Unavailable(f"cannot reach the database: {_reason(error)}") from None


async def _awaited(main: Callable[[], Awaitable[T]]) -> T:
    return await main()


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def emit(data: Any, *, as_json: bool, human: Callable[[Any], str], err: bool = False) -> None:
    click.echo(dumps(data) if as_json else human(data), err=err)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, default=str)


json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
