"""Shell lines of the runbooks, and the PostgreSQL client tools they use."""

from __future__ import annotations

import shutil
from pathlib import Path

import asyncpg

from tests.support.cli import Ran, run
from tools.localservices.postgres import bin_folder


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
