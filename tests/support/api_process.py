"""The API as its own process (`python -m backend`), as production runs it.

Unlike the in-process server of `tests/support/server.py`, it has its own database pool
and broker connections, so a test can cut them (a proxy in front of PostgreSQL) or kill
the whole process without touching the test's own connections.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.database import ROOT
from tests.support.server import free_port
from tests.support.waiting import eventually


@dataclass
class ApiProcess:
    """A running API: a client for it, and its process (the leader of its own group)."""

    client: httpx.AsyncClient
    popen: subprocess.Popen[bytes]
    log_path: Path

    def kill(self) -> None:
        """SIGKILL of the whole process group (Sanic's manager and its worker) at once:
        no request is finished, no connection closed politely."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


@asynccontextmanager
async def api_process(env: dict[str, str], log_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """Start the API with `env` on a free port; yield a client once it is live; stop it."""
    async with api_server(env, log_path) as running:
        yield running.client


@asynccontextmanager
async def api_server(env: dict[str, str], log_path: Path) -> AsyncIterator[ApiProcess]:
    """`api_process`, yielding the process too, for tests that kill it."""
    port = free_port()
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1", "API_WORKERS": "1"}
    with log_path.open("ab") as log:
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, then polled over HTTP
            [sys.executable, "-m", "backend"], cwd=ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:

            async def live() -> int:
                if server.poll() is not None:
                    raise RuntimeError(f"the API exited; log:\n{_tail(log_path)}")
                try:
                    return (await client.get("/health/live")).status_code
                except httpx.TransportError:
                    return 0

            await eventually(live, lambda status: status == 200, within=60)
            yield ApiProcess(client, server, log_path)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-4000:]
