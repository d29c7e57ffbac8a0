"""What the local services share: a home folder, a remembered port, a readiness probe."""

from __future__ import annotations

import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / ".local" / "services"


class ServiceError(Exception):
    """A local server cannot start; the message says why and what to do instead."""


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def free_port(preferred: int | None = None) -> int:
    """The remembered port when it is still free, otherwise one the kernel picks."""
    if preferred is not None and not port_answers(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Service:
    name = "service"

    def __init__(self, root: Path = ROOT) -> None:
        self.home = root / self.name

    @property
    def log(self) -> Path:
        return self.home / f"{self.name}.log"

    @property
    def port(self) -> int | None:
        try:
            return int((self.home / "port").read_text())
        except (OSError, ValueError):
            return None

    @port.setter
    def port(self, value: int) -> None:
        (self.home / "port").write_text(str(value))

    def url(self) -> str:
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def ensure_running(self) -> str:
        if not self.is_running():
            self.start()
        return self.url()
