"""The pool's `reset` is a rollback, not asyncpg's reset query (backend/db.py,
`release_connection`; docs/dependencies.md, exception 2).

It is safe only while no statement leaves session state behind. These tests fail if asyncpg
stops rolling back what a released connection left open, or if Digis' code starts using
session state (then the `reset=` must go)."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from backend.db import release_connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def one_connection_pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(database, min_size=1, max_size=1, reset=release_connection)
    yield pool
    await pool.close()


async def test_a_connection_released_in_a_transaction_comes_back_rolled_back(
    one_connection_pool: asyncpg.Pool,
) -> None:
    table = f"reset_probe_{secrets.token_hex(4)}"  # a name of ours, not input
    await one_connection_pool.execute(f'CREATE TABLE "{table}" (x int)')
    try:
        connection = await one_connection_pool.acquire()
        backend = await connection.fetchval("SELECT pg_backend_pid()")
        await connection.execute("BEGIN")
        await connection.execute(f'INSERT INTO "{table}" VALUES (1)')  # noqa: S608
        await one_connection_pool.release(connection)

        again = await one_connection_pool.acquire()
        try:
            assert await again.fetchval("SELECT pg_backend_pid()") == backend  # reused
            assert not again.is_in_transaction()
            assert await again.fetchval(f'SELECT count(*) FROM "{table}"') == 0  # noqa: S608
        finally:
            await one_connection_pool.release(again)
    finally:
        await one_connection_pool.execute(f'DROP TABLE "{table}"')


async def test_session_settings_survive_a_release_which_is_why_none_may_be_made(
    one_connection_pool: asyncpg.Pool,
) -> None:
    """The saving: asyncpg's `RESET ALL; UNLISTEN *; ...` does not run on release. The cost:
    whatever a statement sets for the session stays for the next user of the connection."""
    async with one_connection_pool.acquire() as connection:
        await connection.execute("SET statement_timeout = '1234ms'")
    async with one_connection_pool.acquire() as connection:
        assert await connection.fetchval("SHOW statement_timeout") == "1234ms"
        await connection.execute("RESET statement_timeout")


# Statements that leave state in the session; transaction-scoped forms (`SET LOCAL`,
# `set_config(..., true)`, `pg_advisory_xact_lock`) are fine. Digis writes SQL keywords in
# capitals, which keeps English ("Set a password") out of the keyword patterns.
_STATEMENT_START = r"""(?:["'(]|^)\s*"""
SESSION_STATE = {
    "a session SET": _STATEMENT_START
    + r"SET\s+(?:SESSION\s+)?(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)\w[\w.]*\s*(?:=|TO\b)",
    "a RESET": _STATEMENT_START + r"RESET\s+\w",
    "LISTEN": _STATEMENT_START + r"(?:UN)?LISTEN\s",
    "a cursor WITH HOLD": r"\bWITH\s+HOLD\b",
    "a session-wide set_config": r"(?i)\bset_config\s*\([^)]*,\s*false\s*\)",
    "a session advisory lock": r"(?i)\bpg_(?:try_)?advisory_lock(?:_shared)?\s*\(",
    "a notification listener": r"\.add_(?:log_)?listener\s*\(",
}


def session_state_in(text: str) -> list[str]:
    return [
        f"{what}: {match.group(0).strip()!r}"
        for what, pattern in SESSION_STATE.items()
        for match in re.finditer(pattern, text, re.MULTILINE)
    ]


@pytest.mark.parametrize(
    "statement",
    [
        '"SET statement_timeout = 0"',
        "await connection.execute('SET search_path TO x')",
        '"""\n    RESET ALL"""',
        '"LISTEN events"',
        "SELECT set_config('work_mem', '64MB', false)",
        "SELECT pg_advisory_lock(42)",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
        "await connection.add_listener('events', callback)",
    ],
)
def test_the_guard_finds_session_state(statement: str) -> None:
    assert session_state_in(statement)


@pytest.mark.parametrize(
    "statement",
    [
        '"SET LOCAL statement_timeout = 0"',
        "SELECT set_config('synchronous_commit', 'off', true)",
        "SELECT pg_advisory_xact_lock(42)",
        'UPDATE "outbox" SET "status" = $1',
        "# no SET, LISTEN or advisory locks",
        '"Set a password"',
        '"Reset your password"',
    ],
)
def test_the_guard_lets_transaction_scoped_state_pass(statement: str) -> None:
    assert not session_state_in(statement)


def test_no_statement_of_digis_leaves_session_state() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for folder in ("backend", "worker")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (hits := session_state_in(path.read_text()))
    }
    assert not found, (
        "session state would outlive its connection's release (backend/db.py "
        f"release_connection): make it transaction-scoped or drop the pool's reset=: {found}"
    )
