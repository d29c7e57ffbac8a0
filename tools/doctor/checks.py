"""One function per check; each returns a Finding that says what to fix when it fails."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
MIN_PYTHON = (3, 11)
MIN_NODE = 20
MIN_FREE_BYTES = 2 * 1024**3
# What `make dev` listens on (Procfile.dev, frontend/vite.config.ts).
DEV_PORTS = {
    8000: "the API",
    5173: "the web app",
    12111: "the Stripe emulator",
    1025: "the mail sink",
}
PROBE_TIMEOUT = 2.0
POSTGRES_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


class Status(str, Enum):  # noqa: UP042 (not StrEnum: it runs on the Pythons it rejects)
    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    detail: str
    fix: str = ""


def version_of(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Finding:
    shown = ".".join(map(str, version))
    if version[:2] >= MIN_PYTHON:
        return Finding("python", Status.OK, f"Python {shown}")
    return Finding(
        "python",
        Status.FAIL,
        f"Python {shown}",
        "install Python 3.11 or newer and run make with PYTHON=python3.11 (or newer)",
    )


def node() -> Finding:
    found = version_of(["node", "--version"])
    if found is None:
        return Finding("node", Status.FAIL, "no `node` on PATH", "install Node.js 20 or newer")
    major = int(re.sub(r"^v(\d+).*", r"\1", found) or 0)
    if major < MIN_NODE:
        return Finding("node", Status.FAIL, f"Node.js {found}", "install Node.js 20 or newer")
    return Finding("node", Status.OK, f"Node.js {found}")


def pnpm(root: Path = ROOT) -> Finding:
    manifest = json.loads((root / "package.json").read_text())
    wanted = str(manifest.get("packageManager", "pnpm@")).split("@", 1)[1]
    found = version_of([str(root / ".tools" / "node_modules" / ".bin" / "pnpm"), "--version"])
    if found == wanted:
        return Finding("pnpm", Status.OK, f"pnpm {found} (.tools/)")
    if shutil.which("npm") is None:
        return Finding(
            "pnpm", Status.FAIL, "no `npm` to install pnpm with", "install Node.js 20+ with npm"
        )
    detail = f"pnpm {found} in .tools/, the project pins {wanted}" if found else "not installed yet"
    return Finding("pnpm", Status.WARN, detail, f"run `make setup` (it installs pnpm {wanted})")


def port(number: int, what: str) -> Finding:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", number))
        except OSError:
            return Finding(
                f"port {number}",
                Status.WARN,
                f"in use ({what} of `make dev` needs it)",
                f"stop what listens there (`ss -ltnp 'sport = :{number}'` shows it), "
                "or another `make dev` is already running",
            )
    return Finding(f"port {number}", Status.OK, f"free for {what}")


def disk(path: Path = ROOT, minimum: int = MIN_FREE_BYTES) -> Finding:
    free = shutil.disk_usage(path).free
    shown = f"{free / 1024**3:.1f} GiB free at {path}"
    if free >= minimum:
        return Finding("disk", Status.OK, shown)
    return Finding(
        "disk",
        Status.FAIL,
        shown,
        f"free at least {minimum / 1024**3:.0f} GiB "
        "(`make clean` removes what the project installed)",
    )


def _exchange(host: str, number: int, message: bytes) -> bytes:
    with socket.create_connection((host, number), timeout=PROBE_TIMEOUT) as sock:
        sock.settimeout(PROBE_TIMEOUT)
        sock.sendall(message)
        return sock.recv(64)


def postgres_answers(host: str, number: int) -> bool:
    """A PostgreSQL server answers an SSLRequest with one byte, `S` or `N`."""
    try:
        return _exchange(host, number, POSTGRES_SSL_REQUEST)[:1] in (b"S", b"N")
    except OSError:
        return False


def redis_answers(host: str, number: int) -> bool:
    try:
        reply = _exchange(host, number, b"PING\r\n")
    except OSError:
        return False
    return reply.startswith((b"+PONG", b"-NOAUTH"))


SERVICES = {
    "DATABASE_URL": ("postgres", 5432, postgres_answers, "postgres"),
    "REDIS_URL": ("redis", 6379, redis_answers, "redis"),
}


def service(variable: str, env: dict[str, str], root: Path = ROOT) -> Finding:
    """The server a variable names, or else the project-local one `make dev` would use."""
    name, default_port, answers, folder = SERVICES[variable]
    url = env.get(variable)
    if url:
        parts = urlsplit(url)
        host, number = parts.hostname or "127.0.0.1", parts.port or default_port
        if answers(host, number):
            return Finding(name, Status.OK, f"{variable} answers ({host}:{number})")
        return Finding(
            name,
            Status.FAIL,
            f"{variable} points at {host}:{number}, which does not answer as {name}",
            f"start that server, fix {variable}, or unset it to use a project-local one",
        )
    port_file = root / ".local" / "services" / folder / "port"
    local = int(port_file.read_text()) if port_file.exists() else None
    if local is not None and answers("127.0.0.1", local):
        return Finding(name, Status.OK, f"the project-local {name} runs on port {local}")
    return Finding(
        name, Status.OK, f"{variable} unset: `make dev`/`make test` start a project-local {name}"
    )


def root_can_run_local_postgres(env: dict[str, str]) -> Finding:
    if os.geteuid() != 0 or env.get("DATABASE_URL"):
        return Finding("root", Status.OK, "not needed (not root, or DATABASE_URL is set)")
    if shutil.which("useradd", path=env.get("PATH")):
        return Finding(
            "root",
            Status.OK,
            "running as root: the local PostgreSQL will run as the OS user embedded_postgres "
            "(created with useradd if missing)",
        )
    return Finding(
        "root",
        Status.FAIL,
        "running as root without `useradd` on PATH",
        "run as a non-root user, add /usr/sbin to PATH, or set DATABASE_URL",
    )


def all_checks(env: dict[str, str]) -> list[Finding]:
    return [
        python(),
        node(),
        pnpm(),
        *(port(number, what) for number, what in DEV_PORTS.items()),
        disk(),
        service("DATABASE_URL", env),
        service("REDIS_URL", env),
        root_can_run_local_postgres(env),
    ]
