"""Session-wide test plumbing: real PostgreSQL and Redis, isolated per session and per test.

Each session gets its own database (built by the real migrations) and its own Redis key
namespace, so several sessions can share one server; each test starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sanic import Sanic

from backend import db
from backend.settings import Settings, get_settings, load_settings
from tests.support.brokers import broker_is_amqp, delete_session_queues
from tests.support.database import (
    apply_migrations,
    create_database,
    drop_database,
    server_url_from_env,
    session_database_name,
    truncate_all,
)
from tests.support.server import serve, with_overrides
from tests.support.worker import Process, celery_beat, celery_worker, worker_env
from tools.smtp_sink import SmtpSink


@pytest.fixture(scope="session", autouse=True)
def _sanic_apps_side_by_side() -> Iterator[None]:
    """Let many Sanic apps start and serve in this one process, in any order.

    When an app starts, Sanic's touch-up recompiles the request path of the Sanic class
    itself, shared by every app: it keeps the dispatch of only the `http.*` signals the
    new app handles, and gives the running apps still in Sanic's registry a no-op handler
    for each. In test mode a new app replaces the one of its name in the registry, so an
    app started earlier (the session's API) is left out: once a later app handles a signal
    it does not (Sentry's Sanic integration adds three to every app started after
    `sentry_sdk.init`), every request to it fails with "Could not find signal". With
    touch-up off (Sanic's TOUCHUP setting, read from SANIC_TOUCHUP when an app is built),
    every app runs Sanic's whole request path and skips the built-in signals it lacks.
    """
    Sanic.test_mode = True  # the tests build many apps of one name
    saved = os.environ.get("SANIC_TOUCHUP")
    os.environ["SANIC_TOUCHUP"] = "false"
    yield
    if saved is None:
        os.environ.pop("SANIC_TOUCHUP", None)
    else:
        os.environ["SANIC_TOUCHUP"] = saved


@pytest.fixture(scope="session")
def session_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment every process of this session (API, workers, CLI) runs with."""
    namespace = f"digis-test-{uuid.uuid4().hex[:8]}"
    media_root: Path = tmp_path_factory.mktemp("media")
    env = {
        "APP_ENV": "test",
        "REDIS_NAMESPACE": namespace,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "DEBUG",
        "OUTBOX_SWEEP_INTERVAL_SECONDS": "1",
    }
    if broker_is_amqp():  # RabbitMQ's queues are shared by every session on the vhost
        env["CELERY_QUEUE_PREFIX"] = f"{namespace}."
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    yield env
    if "CELERY_QUEUE_PREFIX" in env:  # a Redis session's queues go with its namespace
        delete_session_queues(os.environ["CELERY_BROKER_URL"], env["CELERY_QUEUE_PREFIX"])
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
async def database(session_env: dict[str, str]) -> AsyncIterator[str]:
    server_url = server_url_from_env()
    name = session_database_name()
    url = await create_database(server_url, name)
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    apply_migrations(dict(os.environ))
    await db.init_db(get_settings())
    yield url
    await db.close_db()
    os.environ["DATABASE_URL"] = server_url
    get_settings.cache_clear()
    await drop_database(server_url, name)


@pytest.fixture(scope="session")
def settings(database: str) -> Settings:
    return load_settings(_env_file=None)


@pytest.fixture(scope="session")
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(str(settings.redis_url))
    yield client
    await _delete_namespace(client, settings.redis_namespace)
    await client.aclose()


async def _delete_namespace(client: Redis, namespace: str, *, keep: str | None = None) -> None:
    async for key in client.scan_iter(match=f"{namespace}:*", count=500):
        if keep is None or not key.decode().startswith(keep):
            await client.delete(key)


@pytest.fixture(autouse=True)
async def _isolate(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Empty every table and this session's non-broker Redis keys after each test."""
    yield
    if "database" in request.fixturenames:
        await truncate_all()
    if "redis" in request.fixturenames or "client" in request.fixturenames:
        settings: Settings = request.getfixturevalue("settings")
        client: Redis = request.getfixturevalue("redis")
        await _delete_namespace(
            client, settings.redis_namespace, keep=f"{settings.redis_namespace}:celery"
        )


@pytest.fixture(scope="session")
async def api(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """One API server for the session; tests use `client`."""
    async with serve(settings) as client:
        yield client


@pytest.fixture
async def client(api: httpx.AsyncClient) -> httpx.AsyncClient:
    api.cookies.clear()
    return api


@pytest.fixture(scope="session")
async def unlimited(settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """An API without rate limits, for tests that send hundreds of requests at once."""
    async with serve(with_overrides(settings, rate_limit_enabled=False)) as client:
        yield client


@pytest.fixture(scope="session")
def mail_sink(
    session_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SmtpSink]:
    """The SMTP sink every process of the session mails to."""
    sink = SmtpSink(tmp_path_factory.mktemp("mail")).start()
    os.environ["SMTP_HOST"] = "127.0.0.1"
    os.environ["SMTP_PORT"] = str(sink.port)
    get_settings.cache_clear()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def worker(
    database: str, mail_sink: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Process]:
    """A real Celery worker process serving every queue, shared by the session."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with celery_worker(worker_env(dict(os.environ)), log) as process:
        yield process


@pytest.fixture(scope="module")
def beat(worker: Process, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """Celery beat (the outbox sweeper), with the session's worker running its tasks.

    Module-scoped: tests elsewhere leave pending outbox rows on purpose and must not have
    them published behind their back."""
    log = tmp_path_factory.mktemp("beat") / "beat.log"
    with celery_beat(worker_env(dict(os.environ)), log) as process:
        yield process
