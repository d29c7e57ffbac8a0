"""Run the installed `digis` command (and other commands) as on-call would.

Commands run as subprocesses without blocking the event loop, so an API served by the test
itself keeps answering them.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.database import ROOT

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
