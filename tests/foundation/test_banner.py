"""`python -m backend` says which APP_ENV it runs in, not Sanic's own "mode: production"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.support.server import free_port

MAX_LINES = 200


def first_lines_until(env: dict[str, str], wanted: str) -> list[str]:
    """The server's output up to the line holding `wanted` (or its end); then stop it."""
    server = subprocess.Popen(
        [sys.executable, "-m", "backend"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    lines: list[str] = []
    try:
        for line in server.stdout:
            lines.append(line)
            if wanted in line or len(lines) > MAX_LINES:
                break
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    return lines


@pytest.mark.parametrize("app_env", ["development", "test"])
def test_the_banner_names_the_app_env(app_env: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": app_env,
        "PORT": str(port),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:1/0"),
    }
    lines = first_lines_until(env, "Digis API on")
    output = "".join(lines)
    assert f"Digis API on http://127.0.0.1:{port} (APP_ENV={app_env}, 1 worker)" in output
    assert "mode: production" not in output
