"""The Procfile's commands, read rather than repeated, so the smoke runs what deploys."""

from __future__ import annotations

import shlex
from pathlib import Path

PROCESSES = ("api", "worker", "beat")


def read_procfile(path: Path) -> dict[str, list[str]]:
    """`name: command` lines (comments and blank lines skipped) as argument lists."""
    commands: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, command = line.partition(":")
        if not separator or not command.strip():
            raise ValueError(f"{path}: not a `name: command` line: {line!r}")
        commands[name.strip()] = shlex.split(command)
    missing = [name for name in PROCESSES if name not in commands]
    if missing:
        raise ValueError(f"{path} has no {', '.join(missing)} process")
    return commands
