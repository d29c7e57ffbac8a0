"""Holding a row lock from a connection of the test's own, to stop a job mid-way."""

from __future__ import annotations

import asyncpg
from tortoise import connections


async def sessions_waiting_on(holder: asyncpg.Connection) -> int:
    """How many sessions wait for `holder`'s locks (asked from another connection: activity
    statistics are a snapshot per transaction)."""
    rows = await connections.get("default").execute_query_dict(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
        [holder.get_server_pid()],
    )
    return int(rows[0]["n"])
