"""The database pool serves waiting requests in the order they asked
(backend/postgres_engine.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest
from tortoise import connections

from backend import db
from backend.postgres_engine import FairAsyncpgDBClient, FairPool


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
        # asyncpg's own pool may let later requests overtake waiting ones; whether it does
        # in one run depends on scheduling, so that is measured by `make bench`, not here.
    finally:
        await raw.close()


@pytest.fixture
async def small_pool(database: str) -> AsyncIterator[FairPool]:
    raw = await asyncpg.create_pool(database, min_size=1, max_size=1)
    pool = FairPool(raw, 1)
    yield pool
    await asyncio.wait_for(pool.close(), 5)


BACKEND = "SELECT pg_backend_pid() AS pid"


async def pid(pool: FairPool) -> int:
    row = await asyncio.wait_for(pool.fetch_row(BACKEND, []), 5)
    assert row is not None
    return int(row["pid"])


async def test_fetch_row_keeps_its_connection_for_the_next_statement(
    small_pool: FairPool,
) -> None:
    first = await pid(small_pool)
    assert await pid(small_pool) == first
    # The kept connection is also what a transaction's acquire gets: no waiting on a
    # pool whose one connection is kept aside.
    connection = await asyncio.wait_for(small_pool.acquire(), 5)
    assert await connection.fetchval("SELECT pg_backend_pid()") == first
    await small_pool.release(connection)
    assert await pid(small_pool) == first


async def test_a_failed_statement_gives_its_connection_back_usable(small_pool: FairPool) -> None:
    with pytest.raises(asyncpg.DataError):
        await small_pool.fetch_row("SELECT 1 / $1::int", [0])
    assert await pid(small_pool) > 0


async def test_a_cancelled_statement_does_not_leave_a_busy_connection(
    small_pool: FairPool,
) -> None:
    slow = asyncio.create_task(small_pool.fetch_row("SELECT pg_sleep(30)", []))
    await asyncio.sleep(0.3)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    assert await pid(small_pool) > 0


async def test_a_connection_the_server_closed_is_replaced(
    small_pool: FairPool, database: str
) -> None:
    first = await pid(small_pool)
    admin = await asyncpg.connect(database)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
    finally:
        await admin.close()
    await asyncio.sleep(0.3)  # the closed socket is noticed by the event loop
    assert await pid(small_pool) not in (0, first)


SLOW_BACKEND = "SELECT pg_backend_pid() AS pid, pg_sleep(0.5)"


async def test_closing_waits_only_for_the_statement_in_flight(small_pool: FairPool) -> None:
    in_flight = asyncio.create_task(small_pool.fetch_row(SLOW_BACKEND, []))
    await asyncio.sleep(0.1)
    await asyncio.wait_for(small_pool.close(), 3)  # not until a timeout gives up on it
    assert (await in_flight) is not None


async def test_expired_connections_are_not_kept_once_their_statement_ends(
    small_pool: FairPool,
) -> None:
    in_flight = asyncio.create_task(small_pool.fetch_row(SLOW_BACKEND, []))
    await asyncio.sleep(0.1)
    await small_pool.expire_connections()
    row = await in_flight
    assert row is not None
    assert await pid(small_pool) != row["pid"]


@pytest.mark.usefixtures("database")
async def test_tortoise_builds_its_pool_through_the_fair_client() -> None:
    """Guards the one reach into Tortoise's internals (docs/dependencies.md): Tortoise's
    asyncpg client makes its pool with `create_pool` and keeps it as `_pool` (the only place
    Digis reads that attribute), and ORM queries go through that pool."""
    client = connections.get("default")
    assert isinstance(client, FairAsyncpgDBClient)
    await client.execute_query("SELECT 1")
    assert isinstance(client.fair_pool, FairPool)
    assert client._pool is client.fair_pool  # the ORM's queries go through it too
    row = await db.fetch_row("SELECT 41 + 1 AS answer", [])
    assert row is not None
    assert row["answer"] == 42
