"""The whole Digis stack for the end-to-end suite, on free ports, against a fresh database.

API (serving the built web app), Celery worker and beat, the Stripe emulator and the SMTP
sink run as child processes with their logs under `e2e/artifacts/logs/`. `Stack.stop()`
stops every process group and drops the database, whatever happened:

- each child runs in its own session (a Ctrl-C reaches pytest, which tears down in order),
  and gets SIGTERM from the kernel if pytest dies without tearing down (even `kill -9`);
- `stop()` ignores SIGINT and SIGTERM while it runs, so a second Ctrl-C cannot leave half a
  stack; every step in it is bounded in time;
- the database (and the Redis namespace named after it) is named after pytest's pid:
  `start()` drops those left by runs whose process is gone (a run killed with SIGKILL
  cannot drop its own).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "e2e" / "artifacts"
LOGS = ARTIFACTS / "logs"
PYTHON = sys.executable
DATABASE_PREFIX = "digis_e2e_"
DATABASE_PATTERN = re.compile(rf"^{DATABASE_PREFIX}(\d+)_[0-9a-f]+$")
NAMESPACE_PREFIX = "digis-e2e-"
STOP_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1


def run_async(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion from sync code that may already have a running loop
    (Playwright's sync API keeps one in the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def with_database(url: str, name: str) -> str:
    scheme, rest = url.split("://", 1)
    server = rest.split("/", 1)[0]
    return f"{scheme}://{server}/{name}"


def database_name() -> str:
    return f"{DATABASE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:8]}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _load_libc() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


# Loaded here, not in the child: between fork and exec only the call itself is safe.
_LIBC = _load_libc()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the process that started it dies (Linux)."""
    prctl = getattr(_LIBC, "prctl", None)
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while tearing down (each step is bounded in time)."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass
class Stack:
    server_url: str
    redis_url: str
    api_port: int = field(default_factory=free_port)
    stripe_port: int = field(default_factory=free_port)
    smtp_port: int = field(default_factory=free_port)
    database: str = field(default_factory=database_name)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, IO[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def stripe_url(self) -> str:
        return f"http://127.0.0.1:{self.stripe_port}"

    @property
    def mail_dir(self) -> Path:
        return ARTIFACTS / "mail"

    @property
    def namespace(self) -> str:
        """The prefix of every Redis key the stack writes."""
        return f"{NAMESPACE_PREFIX}{self.database}"

    def log_path(self, name: str) -> Path:
        return LOGS / f"{name}.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "APP_ENV": "test",
                "HOST": "127.0.0.1",
                "PORT": str(self.api_port),
                "DATABASE_URL": with_database(self.server_url, self.database),
                "REDIS_URL": self.redis_url,
                "REDIS_NAMESPACE": self.namespace,
                "PUBLIC_URL": self.base_url,
                "FRONTEND_URL": self.base_url,
                "ALLOWED_ORIGINS": self.base_url,
                "FRONTEND_DIST": str(ROOT / "frontend" / "dist"),
                "STRIPE_API_BASE": self.stripe_url,
                "STRIPE_EMULATOR_PORT": str(self.stripe_port),
                "STRIPE_EMULATOR_PUBLIC_URL": self.stripe_url,
                "STRIPE_EMULATOR_WEBHOOK_URL": f"{self.base_url}/api/webhooks/stripe",
                "STRIPE_EMULATOR_CONNECT_WEBHOOK_URL": (
                    f"{self.base_url}/api/webhooks/stripe/connect"
                ),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(self.smtp_port),
                "MEDIA_ROOT": str(ARTIFACTS / "media"),
                "BEAT_SCHEDULE_PATH": str(ARTIFACTS / "celerybeat-schedule"),
                "WORKER_METRICS_PORT": "0",
                "OUTBOX_SWEEP_INTERVAL_SECONDS": "2",
                # Tokens a creator receives can be cashed out at once (the payouts flow).
                "EARNINGS_HOLD_DAYS": "0",
                # The suite signs up many users from one address.
                "RATE_LIMIT_ENABLED": "false",
                "LOG_LEVEL": "INFO",
            }
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        return env

    def commands(self) -> dict[str, list[str]]:
        celery = [PYTHON, "-m", "celery", "-A", "worker.app"]
        return {
            "smtp": [PYTHON, "-m", "tools.smtp_sink", "--port", str(self.smtp_port),
                     "--dir", str(self.mail_dir)],
            "stripe": [PYTHON, "-m", "tools.stripe_emulator"],
            "worker": [*celery, "worker", "--queues", "webhooks,media,notifications,default",
                       "--concurrency", "2", "--loglevel", "INFO"],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
            "api": [PYTHON, "-m", "backend"],
        }  # fmt: skip

    def start(self) -> None:
        if not (ROOT / "frontend" / "dist" / "index.html").exists():
            raise RuntimeError("frontend/dist is missing: run the suite with `make e2e`")
        LOGS.mkdir(parents=True, exist_ok=True)
        run_async(self._drop_stale_databases())
        self._delete_stale_namespaces()
        run_async(self._create_database())
        env = self.env()
        migrate = subprocess.run([str(Path(PYTHON).parent / "aerich"), "upgrade"], cwd=ROOT,
                                 env=env, check=False, capture_output=True)  # fmt: skip
        self.log_path("migrate").write_bytes(migrate.stdout + migrate.stderr)
        if migrate.returncode != 0:
            raise RuntimeError("the migrations failed; see e2e/artifacts/logs/migrate.log")
        for name, command in self.commands().items():
            log = self.log_path(name).open("wb")
            self.logs[name] = log
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early; see e2e/artifacts/logs/{name}.log")
            try:
                api = httpx.get(f"{self.base_url}/health", timeout=2)
                stripe = httpx.get(f"{self.stripe_url}/_emulator/health", timeout=2)
                if api.status_code == 200 and stripe.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError("the stack did not become healthy; see e2e/artifacts/logs/")

    def log_sizes(self) -> dict[str, int]:
        """How long each process's log is now (to cut out what one test wrote)."""
        return {name: self.log_path(name).stat().st_size for name in self.processes}

    def stop(self) -> None:
        with signals_deferred():
            for process in self.processes.values():
                if process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for process in self.processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                # The process group may outlive its leader (e.g. Celery's pool children).
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            self.processes.clear()
            for log in self.logs.values():
                log.close()
            self.logs.clear()
            run_async(self._drop_database())
            self._delete_namespace(self.namespace)

    async def _admin(self) -> Any:
        return await asyncpg.connect(
            with_database(self.server_url, "postgres"), timeout=10, command_timeout=30
        )

    async def _create_database(self) -> None:
        admin = await self._admin()
        try:
            await admin.execute(f'CREATE DATABASE "{self.database}"')
        finally:
            await admin.close()

    async def _drop_database(self) -> None:
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        finally:
            await admin.close()

    async def _drop_stale_databases(self) -> None:
        """Databases of earlier runs whose pytest is gone (killed before it could drop them)."""
        admin = await self._admin()
        try:
            rows = await admin.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{DATABASE_PREFIX}%"
            )
            for row in rows:
                name: str = row["datname"]
                match = DATABASE_PATTERN.match(name)
                if match and not process_alive(int(match.group(1))):
                    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    def _redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url, socket_timeout=10)

    def _delete_namespace(self, namespace: str) -> None:
        with self._redis() as client:
            for key in client.scan_iter(match=f"{namespace}:*", count=1000):
                client.delete(key)

    def _delete_stale_namespaces(self) -> None:
        """Redis keys of earlier runs whose pytest is gone."""
        stale: set[str] = set()
        with self._redis() as client:
            for key in client.scan_iter(match=f"{NAMESPACE_PREFIX}{DATABASE_PREFIX}*", count=1000):
                namespace = key.decode().split(":", 1)[0]
                match = DATABASE_PATTERN.match(namespace.removeprefix(NAMESPACE_PREFIX))
                if match and not process_alive(int(match.group(1))):
                    stale.add(namespace)
        for namespace in stale:
            self._delete_namespace(namespace)
