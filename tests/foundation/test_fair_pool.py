"""The database pool serves waiting requests in the order they asked
(backend/postgres_engine.py)."""

from __future__ import annotations

import asyncio
import itertools

import asyncpg
import pytest

from backend.postgres_engine import FairPool


async def serving_order(pool: FairPool | asyncpg.Pool) -> list[int]:
    """16 clients run 20 queries each through a pool of 2 connections: the tickets taken
    when asking for a connection, in the order connections were handed out."""
    tickets = itertools.count()
    served: list[int] = []

    async def client() -> None:
        for _ in range(20):
            ticket = next(tickets)
            connection = await pool.acquire()
            served.append(ticket)
            await connection.fetchval("SELECT 1")
            await pool.release(connection)

    await asyncio.gather(*(client() for _ in range(16)))
    return served


@pytest.mark.usefixtures("database")
async def test_waiters_get_connections_first_come_first_served(database: str) -> None:
    raw = await asyncpg.create_pool(database, min_size=2, max_size=2)
    try:
        served = await serving_order(FairPool(raw, 2))
        assert served == sorted(served)
        # asyncpg's own pool lets later requests overtake waiting ones.
        unfair = await serving_order(raw)
        assert unfair != sorted(unfair)
    finally:
        await raw.close()
