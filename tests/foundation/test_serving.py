"""`python -m backend` serves an app whose start-up objects stay out of the garbage
collector's full passes (backend/serving.py), in one process or in several."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sanic import Sanic

from backend.serving import serving_app
from tests.support.waiting import eventually


@pytest.mark.usefixtures("database")
async def test_once_started_the_served_app_has_frozen_what_start_up_built() -> None:
    Sanic.test_mode = True
    app = serving_app()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    assert gc.get_freeze_count() == 0
    try:
        await server.startup()
        await server.before_start()
        await server.after_start()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        await server.before_stop()
        await server.close()
        await server.after_stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.usefixtures("database")
async def test_python_m_backend_serves_with_two_worker_processes(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "API_WORKERS": "2"}
    with (tmp_path / "api.log").open("wb") as log:
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, then polled over HTTP
            [sys.executable, "-m", "backend"], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def live() -> int:
                try:
                    return (await client.get("/health/live")).status_code
                except httpx.TransportError:
                    return 0

            assert await eventually(live, lambda status: status == 200, within=60) == 200

        async def workers_ready() -> int:
            return (tmp_path / "api.log").read_bytes().count(b"Worker ready")

        assert await eventually(workers_ready, lambda ready: ready == 2, within=60) == 2
        # Sanic's manager does not stop on a SIGTERM that arrives while it still collects
        # the workers' acknowledgements; it has, a moment after both are ready.
        await asyncio.sleep(1)
    finally:
        server.terminate()  # the manager stops its workers
        try:
            server.wait(timeout=30)
        finally:
            os.killpg(server.pid, signal.SIGKILL)
