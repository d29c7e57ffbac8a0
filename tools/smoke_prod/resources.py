"""The smoke's throwaway database and Redis namespace, and its generated secrets.

Both are named after the smoke's pid: a run killed before its teardown (SIGKILL) leaves
them behind, and the next run drops those whose process is gone.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from dataclasses import dataclass, field

import asyncpg
import redis

PREFIX = "digis_smoke_"
PATTERN = re.compile(rf"^{PREFIX}(\d+)_[0-9a-f]+$")
SECRET_BYTES = 32


def new_name() -> str:
    return f"{PREFIX}{os.getpid()}_{secrets.token_hex(4)}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(name: str) -> bool:
    match = PATTERN.match(name)
    return match is not None and not process_alive(int(match.group(1)))


def with_database(url: str, database: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/{database}"


@dataclass(frozen=True)
class Secrets:
    """32 random bytes each, in the shapes Stripe's test mode uses."""

    jwt: str = field(default_factory=lambda: secrets.token_hex(SECRET_BYTES))
    stripe_key: str = field(default_factory=lambda: "sk_test_" + secrets.token_hex(SECRET_BYTES))
    webhook: str = field(default_factory=lambda: "whsec_" + secrets.token_hex(SECRET_BYTES))
    connect_webhook: str = field(default_factory=lambda: "whsec_" + secrets.token_hex(SECRET_BYTES))
    media_signing: str = field(default_factory=lambda: secrets.token_hex(SECRET_BYTES))


@dataclass
class Database:
    server_url: str
    name: str = field(default_factory=new_name)

    @property
    def url(self) -> str:
        return with_database(self.server_url, self.name)

    def create(self) -> None:
        asyncio.run(self._create())

    def drop(self) -> None:
        asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    async def _create(self) -> None:
        admin = await self._admin()
        try:
            rows = await admin.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{PREFIX}%"
            )
            for row in rows:
                if stale(row["datname"]):
                    await admin.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()

    async def _execute(self, statement: str) -> None:
        admin = await self._admin()
        try:
            await admin.execute(statement)
        finally:
            await admin.close()

    async def _admin(self) -> asyncpg.Connection:
        connection: asyncpg.Connection = await asyncpg.connect(
            with_database(self.server_url, "postgres"), timeout=10, command_timeout=60
        )
        return connection


@dataclass
class RedisNamespace:
    url: str
    name: str = field(default_factory=new_name)

    def delete(self) -> None:
        with redis.Redis.from_url(self.url, socket_timeout=10) as client:
            self._delete(client, self.name)

    def delete_stale(self) -> None:
        stale_names: set[str] = set()
        with redis.Redis.from_url(self.url, socket_timeout=10) as client:
            for key in client.scan_iter(match=f"{PREFIX}*", count=1000):
                namespace = key.decode().split(":", 1)[0]
                if stale(namespace):
                    stale_names.add(namespace)
            for namespace in stale_names:
                self._delete(client, namespace)

    @staticmethod
    def _delete(client: redis.Redis, namespace: str) -> None:
        for key in client.scan_iter(match=f"{namespace}:*", count=1000):
            client.delete(key)
