"""`python -m backend` serves an app whose start-up objects stay out of the garbage
collector's full passes (backend/serving.py), in one process or in several."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from backend.serving import serving_app
from tests.support.server import free_port, served
from tests.support.waiting import eventually


@pytest.mark.usefixtures("database")
async def test_once_started_the_served_app_has_frozen_what_start_up_built() -> None:
    assert gc.get_freeze_count() == 0
    try:
        async with served(serving_app):
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("database")
async def test_python_m_backend_serves_with_two_worker_processes(tmp_path: Path) -> None:
    port = free_port()
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
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as a process supervisor does, with SIGTERM. Sanic's manager loses a
    SIGTERM that arrives while it still collects its workers' start-up acknowledgements (it
    then waits for one that never comes); a second signal makes it kill them and exit."""
    try:
        for _ in range(2):
            server.terminate()
            try:
                server.wait(timeout=15)
                return
            except subprocess.TimeoutExpired:
                continue
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever of its group is left
            os.killpg(server.pid, signal.SIGKILL)
