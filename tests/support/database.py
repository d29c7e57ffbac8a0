"""A fresh database per test session, built by the real migrations, emptied between tests."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import connections
from tortoise.exceptions import OperationalError

ROOT = Path(__file__).resolve().parents[2]
KEEP_TABLES = {"aerich"}


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def session_database_name() -> str:
    return f"digis_test_{uuid.uuid4().hex[:10]}"


async def create_database(server_url: str, name: str) -> str:
    admin = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    admin = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def apply_migrations(env: dict[str, str]) -> None:
    """Run `aerich upgrade` as a developer would, against the session's database."""
    aerich = str(Path(sys.executable).parent / "aerich")
    subprocess.run([aerich, "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


async def truncate_all(attempts: int = 5) -> None:
    """Empty every table; a job still finishing from the test can deadlock with the
    TRUNCATE, so that is retried."""
    for attempt in range(attempts):
        try:
            await _truncate()
            return
        except asyncpg.DeadlockDetectedError:  # execute_script passes asyncpg's own
            if attempt == attempts - 1:
                raise
        except OperationalError as error:
            if "deadlock" not in str(error) or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.2)


async def _truncate() -> None:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    tables = [row["tablename"] for row in rows if row["tablename"] not in KEEP_TABLES]
    if tables:
        quoted = ", ".join(f'"{table}"' for table in tables)
        # Ids keep counting across tests, so a job still running from an earlier test can
        # never be mistaken for a later test's job with the same id.
        await conn.execute_script(f"TRUNCATE {quoted} CASCADE")


def server_url_from_env() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError(
            "DATABASE_URL is not set: run the tests with `make test`, which starts a "
            "project-local PostgreSQL when no server is given"
        )
    return url
