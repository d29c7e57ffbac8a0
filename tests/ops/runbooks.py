"""The commands of docs/runbooks/*.md, extracted so that the tests run them as written.

Every line of a ```sh block is a command (a trailing `\\` continues it); `#` lines are
comments. A trailing comment naming `exit N` first states the exit code expected in the
test's scenario (0 otherwise). Placeholders are shell variables (`"$EVENT_ID"`) that the
runbooks' README lists and the tests fill in. `celery ... worker` lines start a process
that keeps running: the test starts it, waits until it is ready, then stops it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from tests.ops.support import shell
from tests.support.cli import Ran
from tests.support.database import ROOT

RUNBOOKS = ROOT / "docs" / "runbooks"
FENCE = re.compile(r"^```(\S*)\s*$")
EXPECTED_EXIT = re.compile(r"#.*?\bexit (\d)\b")
# What a runbook may ask on-call to run: each of these is exercised by the tests.
PROGRAMS = {"digis", "curl", "pg_dump", "pg_restore", "createdb", "dropdb", "openssl", "celery"}
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=\S*$")


@dataclass(frozen=True)
class Command:
    runbook: str
    line: int
    text: str
    expected_exit: int

    @property
    def program(self) -> str:
        words = [w for w in self.text.split() if not ASSIGNMENT.match(w)]
        return words[0] if words else ""

    @property
    def long_running(self) -> bool:
        return self.text.startswith("celery -A worker.app worker")


def runbook_paths() -> list[Path]:
    return sorted(p for p in RUNBOOKS.glob("*.md") if p.name != "README.md")


def commands(path: Path) -> list[Command]:
    found: list[Command] = []
    language: str | None = None
    pending = ""
    start = 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        fence = FENCE.match(raw.strip())
        if fence:
            language = None if language is not None else fence.group(1)
            continue
        if language != "sh":
            continue
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        pending = ""
        expected = EXPECTED_EXIT.search(text)
        found.append(Command(path.name, start, text, int(expected.group(1)) if expected else 0))
    return found


async def run_command(command: Command, env: dict[str, str], cwd: Path) -> Ran:
    if command.long_running:
        return await _start_and_stop(command, env, cwd)
    return await shell(command.text, env=env, cwd=cwd, within=120)


async def _start_and_stop(command: Command, env: dict[str, str], cwd: Path) -> Ran:
    """Start a long-running process, wait for it to say it is ready, then stop it as a
    process manager would (SIGTERM: a Celery worker finishes its current jobs)."""
    log = cwd / f"runbook-{command.line}.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            "bash", "-c", f"exec {command.text}",
            cwd=cwd, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    ready = False
    while time.monotonic() < deadline and process.returncode is None:
        if "ready." in log.read_text(errors="replace"):
            ready = True
            break
        await asyncio.sleep(0.2)
    if process.returncode is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
    output = log.read_text(errors="replace")
    # Started, ready, stopped cleanly on SIGTERM: what "ran as written" means for a service.
    code = 0 if ready and process.returncode == 0 else (process.returncode or 1)
    return Ran(command.text, code, output[-4000:], "")
