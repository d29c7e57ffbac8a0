"""The API under benchmark: production settings, one Sanic worker pinned to CPU 0."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil

from e2e.stack import free_port, run_async, with_database

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
API_CPU = "0"
LOAD_CPU = "1"


def pinned(command: list[str], cpu: str) -> list[str]:
    import shutil

    return ["taskset", "-c", cpu, *command] if shutil.which("taskset") else command


def production_env(database_url: str, redis_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "APP_ENV": "production",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "API_WORKERS": "1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "REDIS_NAMESPACE": f"digis-bench-{secrets.token_hex(4)}",
            # Fresh random secrets for this run only.
            "JWT_SECRET": secrets.token_hex(32),
            "STRIPE_SECRET_KEY": "sk_test_" + secrets.token_hex(24),
            "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(24),
            "STRIPE_CONNECT_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(24),
            "MEDIA_SIGNING_KEY": secrets.token_hex(32),
            # RATE_LIMIT_DEFAULT stays unset, as in production: the per-IP cap is the edge
            # proxy's. The follow limit counts; 2,000 fans keep it out of reach (FANS).
            "WORKER_METRICS_PORT": "0",
            "LOG_LEVEL": "INFO",
        }
    )
    env.pop("STRIPE_API_BASE", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def rss_mb(self) -> float:
        root = psutil.Process(self.process.pid)
        processes = [root, *root.children(recursive=True)]
        return float(sum(p.memory_info().rss for p in processes if p.is_running())) / 2**20


@contextmanager
def serve(command: list[str], env: dict[str, str], port: int, log: str) -> Iterator[Server]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / log).open("wb") as out:
        process = subprocess.Popen(
            pinned(command, API_CPU), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_answering(server)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _wait_until_answering(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited; see {RESULTS}")
        try:
            httpx.get(server.url + "/", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


@contextmanager
def off_the_api_core(urls: list[str]) -> Iterator[list[str]]:
    """Move the servers behind `urls` that run on this machine (PostgreSQL, Redis, with
    their child processes) to the load core for the run, then back.

    In production the database is on another machine; here it would otherwise take its
    CPU from the API's core, and the figures would depend on where the scheduler put it.
    Yields the names of the servers moved (none when they are remote or not ours to move).
    """
    ports = {port for url in urls if (port := urlsplit(url).port)}
    moved: dict[psutil.Process, list[int]] = {}
    for server in _listening_on(ports):
        for process in [server, *server.children(recursive=True)]:
            try:
                moved[process] = process.cpu_affinity() or []
                process.cpu_affinity([int(LOAD_CPU)])
            except (psutil.Error, OSError, ValueError):
                moved.pop(process, None)
    try:
        yield sorted({process.name() for process in moved})
    finally:
        for process, cpus in moved.items():
            with suppress(psutil.Error, OSError, ValueError):
                process.cpu_affinity(cpus)


def _listening_on(ports: set[int]) -> list[psutil.Process]:
    if (os.cpu_count() or 1) < 2:
        return []
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return []
    listening = [c for c in connections if c.status == psutil.CONN_LISTEN and c.laddr]
    pids = {c.pid for c in listening if c.laddr.port in ports and c.pid}
    return [psutil.Process(pid) for pid in pids if psutil.pid_exists(pid)]


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    import asyncpg

    name = f"digis_bench_{secrets.token_hex(5)}"

    async def create() -> None:
        admin = await asyncpg.connect(with_database(server_url, "postgres"))
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()

    async def drop() -> None:
        admin = await asyncpg.connect(with_database(server_url, "postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    run_async(create())
    try:
        yield with_database(server_url, name)
    finally:
        run_async(drop())


def migrate(env: dict[str, str]) -> None:
    aerich = str(Path(sys.executable).parent / "aerich")
    subprocess.run([aerich, "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


__all__ = ["LOAD_CPU", "RESULTS", "Server", "free_port", "fresh_database", "migrate",
           "off_the_api_core", "production_env", "serve"]  # fmt: skip
