"""A backup taken and restored with the commands of docs/runbooks/restore-database.md gives
back the same accounts and the same ledger, row for row."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.ops.runbooks import RUNBOOKS, commands, run_command
from tests.ops.support import postgres_client_tools
from tests.support.accounts import create_account
from tests.support.cli import base_env, digis
from tests.support.database import with_database
from tests.wallet.support import fund

pytestmark = pytest.mark.usefixtures("database")

RESTORE_PAGE = RUNBOOKS / "restore-database.md"
ROUND_TRIP = ("pg_dump", "createdb", "pg_restore")
# Every table the scenario below writes to.
TABLES = (
    "users",
    "refresh_tokens",
    "wallets",
    "ledger_movements",
    "ledger_entries",
    "purchases",
    "tips",
    "follows",
    "creator_stats",
    "outbox",
)


async def rows(url: str, table: str) -> list[tuple[object, ...]]:
    connection = await asyncpg.connect(url)
    try:
        found = await connection.fetch(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
    finally:
        await connection.close()
    return [tuple(row.values()) for row in found]


async def test_a_restored_backup_has_the_same_ledger(
    client: httpx.AsyncClient, database: str, tmp_path: Path
) -> None:
    fan, creator = await create_account("fan"), await create_account("creator")
    await fund(fan, 500)
    tip = {"creator": creator.handle, "amount": 120, "message": "thanks"}
    assert (await client.post("/api/tips", json=tip, headers=fan.auth)).status_code == 201
    followed = await client.put(f"/api/creators/{creator.handle}/follow", headers=fan.auth)
    assert followed.status_code == 200

    restored = f"digis_restored_{uuid.uuid4().hex[:10]}"
    restored_url = with_database(database, restored)
    tools = await postgres_client_tools(database)
    env = base_env(
        BACKUP_FILE=str(tmp_path / "digis.dump"), RESTORED_DB=restored, RESTORED_URL=restored_url
    )
    env["PATH"] = f"{tools}:{env['PATH']}"
    steps = [
        c for c in commands(RESTORE_PAGE) if c.program in ROUND_TRIP and "--list" not in c.text
    ]
    assert [c.program for c in steps] == ["pg_dump", "createdb", "pg_restore"]
    try:
        for step in steps:
            ran = await run_command(step, env, tmp_path)
            assert ran.returncode == 0, ran

        for table in TABLES:
            original = await rows(database, table)
            assert original, f"the scenario wrote nothing to {table}"
            assert await rows(restored_url, table) == original, table
        reconciled = await digis("ledger", "reconcile", env=base_env(DATABASE_URL=restored_url))
        assert reconciled.returncode == 0, reconciled
    finally:
        admin = await asyncpg.connect(with_database(database, "postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        finally:
            await admin.close()
