"""Run wrk and read its report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).parent / "scripts"
INSTALL_HINT = "wrk is missing: install it with `sudo apt-get install wrk` (or `brew install wrk`)."
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors plus non-2xx/3xx answers


def available() -> bool:
    return shutil.which("wrk") is not None


def _latency(report: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    if not match:
        raise ValueError(f"no {percentile}% latency in wrk output:\n{report}")
    return float(match.group(1)) * UNITS[match.group(2)]


def _errors(report: str) -> int:
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    count = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        count += sum(int(value) for value in sockets.groups())
    return count


def run(
    url: str,
    *,
    connections: int,
    seconds: int,
    threads: int = 1,
    script: str | None = None,
    headers: dict[str, str] | None = None,
    cpu: str | None = None,
    env: dict[str, str] | None = None,
) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(SCRIPTS / script)]
    command.append(url)
    if cpu and shutil.which("taskset"):
        command = ["taskset", "-c", cpu, *command]
    # The scripts hand each thread its share of the requests (every `threads`-th one).
    env = {**(env if env is not None else os.environ), "BENCH_WRK_THREADS": str(threads)}
    report = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    if not rate:
        raise ValueError(f"no Requests/sec in wrk output:\n{report}")
    return WrkResult(float(rate.group(1)), _latency(report, "50"), _latency(report, "99"),
                     _errors(report))  # fmt: skip
