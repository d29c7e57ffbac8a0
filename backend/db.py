"""The data layer: Tortoise configuration shared by the API, the worker, aerich and tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import set_global_context

from backend.postgres_engine import FairAsyncpgDBClient
from backend.settings import Settings, get_settings

# Every module that defines models. aerich's own table lives with them in one app.
MODEL_MODULES = [
    "backend.accounts.models",
    "backend.creators.models",
    "backend.media.models",
    "backend.notifications.models",
    "backend.outbox.models",
    "backend.wallet.models",
    "backend.payments.models",
    "backend.payouts.models",
    "backend.posts.models",
    "backend.idempotency.models",
    "aerich.models",
]


@dataclass
class _HotPath:
    """The default connection, looked up once: Tortoise's lookup per statement (context,
    then event-loop check) costs a few microseconds that `fetch_row` callers need not pay."""

    client: BaseDBAsyncClient | None = None


_hot = _HotPath()


def tortoise_config(settings: Settings, application_name: str = "digis") -> dict[str, Any]:
    return {
        "connections": {
            "default": {
                "engine": "backend.postgres_engine",
                "credentials": _credentials(settings, application_name),
            }
        },
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def _credentials(settings: Settings, application_name: str) -> dict[str, Any]:
    dsn = settings.database_url
    host = dsn.hosts()[0]
    return {
        "host": host["host"],
        "port": host["port"] or 5432,
        "user": host["username"] or "postgres",
        "password": host["password"] or "",
        "database": (dsn.path or "").strip("/"),
        "minsize": 1,
        "maxsize": settings.database_pool_max,
        "command_timeout": 30,
        "server_settings": {"application_name": application_name},
        "reset": release_connection,
    }


async def release_connection(connection: Any) -> None:
    """What the pool runs when a connection comes back.

    asyncpg's default resets session state with an extra query on every release; Digis
    keeps no session state (no SET, LISTEN, advisory locks or cursors outside
    transactions), so only a transaction left open needs undoing.
    """
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


async def init_db(settings: Settings, application_name: str = "digis-api") -> None:
    """Initialise Tortoise for this process. Its context is made the global one (one pool
    per process), so tasks not started from this one (Sanic's requests, Celery's tasks)
    find it too."""
    context = await Tortoise.init(config=tortoise_config(settings, application_name))
    set_global_context(context)
    _hot.client = connections.get("default")


async def close_db() -> None:
    _hot.client = None
    await Tortoise.close_connections()


def is_initialised() -> bool:
    return Tortoise.is_inited()


async def fetch_row(query: str, args: Sequence[Any]) -> Mapping[str, Any] | None:
    """The first row of one hand-written statement, autocommitted on a pooled connection of
    its own (never in the caller's transaction): the hot paths' one read or write.

    Only where Tortoise was started other than by `init_db` (no such process today) does
    it go through Tortoise's connection, which inside a transaction is the transaction's."""
    client = _hot.client or connections.get("default")
    if isinstance(client, FairAsyncpgDBClient):
        return await client.fetch_row(query, args)
    rows = await client.execute_query_dict(query, list(args))
    return rows[0] if rows else None


async def ping() -> None:
    await connections.get("default").execute_query("SELECT 1")


def __getattr__(name: str) -> Any:
    # aerich reads `backend.db.TORTOISE_ORM`; build it lazily so importing this module
    # never requires a valid environment.
    if name == "TORTOISE_ORM":
        return tortoise_config(get_settings())
    raise AttributeError(name)
