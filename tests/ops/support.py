"""Run the installed `digis` command (and other shell commands) as on-call would.

Commands run as subprocesses without blocking the event loop, so an API served by the test
itself keeps answering them.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from tests.support.database import ROOT
from tools.localservices.postgres import bin_folder

BIN = Path(sys.executable).parent
DIGIS = str(BIN / "digis")


@dataclass(frozen=True)
class Ran:
    command: str
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return f"$ {self.command}\nexit {self.returncode}\n{self.stdout}\n{self.stderr}"


def base_env(**extra: str) -> dict[str, str]:
    """The session's environment (its DATABASE_URL, REDIS_URL, namespace...) plus `extra`."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


async def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    stdin: str | None = None,
    within: float = 60,
) -> Ran:
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=env if env is not None else base_env(),
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(
        process.communicate(stdin.encode() if stdin is not None else None), within
    )
    assert process.returncode is not None
    return Ran(" ".join(argv), process.returncode, out.decode(), err.decode())


async def digis(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Ran:
    return await run([DIGIS, *args], env=env, cwd=cwd)


async def shell(command: str, *, env: dict[str, str], cwd: Path, within: float = 60) -> Ran:
    """One line of a runbook, run by bash exactly as written."""
    ran = await run(["bash", "-o", "pipefail", "-c", command], env=env, cwd=cwd, within=within)
    return Ran(command, ran.returncode, ran.stdout, ran.stderr)


async def postgres_client_tools(database_url: str) -> Path:
    """The folder of PostgreSQL client tools (`pg_dump`...) of the server's major version,
    or the nearest newer one: the system's or those of the project-local PostgreSQL."""
    connection = await asyncpg.connect(database_url)
    try:
        server = int(await connection.fetchval("SHOW server_version_num")) // 10000
    finally:
        await connection.close()
    candidates = [Path(found).parent for found in [shutil.which("pg_dump")] if found]
    candidates.append(bin_folder())
    versions = {folder: await _major_version(folder / "pg_dump") for folder in candidates}
    usable = sorted((v, str(f)) for f, v in versions.items() if v >= server)
    if not usable:
        raise RuntimeError(f"no pg_dump of PostgreSQL {server} or newer: {versions}")
    return Path(usable[0][1])


async def _major_version(pg_dump: Path) -> int:
    ran = await run([str(pg_dump), "--version"])
    return int(ran.stdout.split()[-1].split(".")[0]) if ran.returncode == 0 else 0
