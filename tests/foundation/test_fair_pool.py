"""The database pool serves waiting requests in the order they asked, and what it keeps
aside goes back to asyncpg (backend/postgres_engine.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from backend import db
from backend.postgres_engine import FairAsyncpgDBClient, FairPool
from tests.support.waiting import eventually


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


async def running(database: str, marker: str) -> None:
    """Wait until a statement containing `marker` runs on the server."""
    admin = await asyncpg.connect(database)
    try:
        await eventually(lambda: admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1",
            f"%{marker}%",
        ))  # fmt: skip
    finally:
        await admin.close()


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
    small_pool: FairPool, database: str
) -> None:
    slow = asyncio.create_task(small_pool.fetch_row("SELECT pg_sleep(30) -- cancelled", []))
    await running(database, "-- cancelled")
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
        assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", first)
    finally:
        await admin.close()

    async def served_on() -> int | str:
        """The backend of the next statement; a statement that takes the closed connection
        before the event loop has read its end fails, and asyncpg replaces it."""
        try:
            return await pid(small_pool)
        except (asyncpg.ConnectionDoesNotExistError, asyncpg.InterfaceError) as error:
            return type(error).__name__

    assert await eventually(served_on, lambda served: isinstance(served, int)) != first


SLOW_BACKEND = "SELECT pg_backend_pid() AS pid, pg_sleep(1) -- slow backend"


async def test_closing_waits_only_for_the_statement_in_flight(
    small_pool: FairPool, database: str
) -> None:
    in_flight = asyncio.create_task(small_pool.fetch_row(SLOW_BACKEND, []))
    await running(database, "-- slow backend")
    await asyncio.wait_for(small_pool.close(), 3)  # not until a timeout gives up on it
    assert (await in_flight) is not None


async def test_expired_connections_are_not_kept_once_their_statement_ends(
    small_pool: FairPool, database: str
) -> None:
    in_flight = asyncio.create_task(small_pool.fetch_row(SLOW_BACKEND, []))
    await running(database, "-- slow backend")
    await small_pool.expire_connections()
    row = await in_flight
    assert row is not None
    assert await pid(small_pool) != row["pid"]


async def test_kept_connections_go_back_to_asyncpg_when_idle_so_the_pool_shrinks(
    database: str,
) -> None:
    """After a burst, asyncpg's own `max_inactive_connection_lifetime` closes what the burst
    opened: the connections kept aside went back to it once idle."""
    raw = await asyncpg.create_pool(
        database, min_size=1, max_size=3, max_inactive_connection_lifetime=0.2
    )
    pool = FairPool(raw, 3, idle_seconds=0.1)
    try:
        burst = [pool.fetch_row("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)", []) for _ in "abc"]
        assert len({row["pid"] for row in await asyncio.gather(*burst) if row}) == 3
        assert raw.get_size() == 3

        async def open_connections() -> int:
            return int(raw.get_size())

        await eventually(open_connections, lambda size: size == 1)
        assert await pid(pool) > 0  # and what is left serves
    finally:
        await asyncio.wait_for(pool.close(), 5)


async def test_a_kept_connection_goes_back_to_asyncpg_after_keep_uses_statements(
    database: str,
) -> None:
    """asyncpg's `max_queries` applies to kept connections: it closes one that has served
    its quota when the connection comes back to it."""
    raw = await asyncpg.create_pool(database, min_size=1, max_size=1, max_queries=4)
    pool = FairPool(raw, 1, keep_uses=4)
    try:
        served = [await pid(pool) for _ in range(12)]
        assert served[:4] == [served[0]] * 4  # kept between statements
        assert len(set(served)) == 3  # and replaced after every fourth
    finally:
        await asyncio.wait_for(pool.close(), 5)


async def test_closing_gives_back_what_is_kept(database: str) -> None:
    raw = await asyncpg.create_pool(database, min_size=1, max_size=2)
    pool = FairPool(raw, 2, idle_seconds=3600)
    await asyncio.gather(pid(pool), pid(pool))
    await asyncio.wait_for(pool.close(), 5)
    assert raw.get_size() == 0


async def test_terminate_closes_kept_connections_too(database: str) -> None:
    raw = await asyncpg.create_pool(database, min_size=1, max_size=2)
    pool = FairPool(raw, 2)
    await asyncio.gather(pid(pool), pid(pool))
    pool.terminate()
    assert raw.get_size() == 0


@pytest.mark.usefixtures("database")
async def test_tortoise_runs_its_client_lifecycle_on_the_fair_pool() -> None:
    """Tortoise's asyncpg client calls only `acquire`, `release` and `close` (and, when a
    close times out, `terminate`) on its pool: nothing else passes through to asyncpg's."""
    client = connections.get("default")
    assert isinstance(client, FairAsyncpgDBClient)
    async with in_transaction() as transaction:
        await transaction.execute_query("SELECT 1")
    first = client.fair_pool
    assert first is not None
    await client.close()
    assert first.closing
    assert await client.execute_query_dict("SELECT 1 AS one") == [{"one": 1}]  # a new pool
    assert client.fair_pool is not first


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
