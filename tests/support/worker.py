"""Real Celery worker and beat processes for the tests, logging JSON lines to a file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from tests.support.database import ROOT

ALL_QUEUES = "webhooks,media,notifications,default"


def worker_env(base: dict[str, str], **overrides: str) -> dict[str, str]:
    env = dict(base)
    env.update(
        {
            "APP_ENV": "test",
            "LOG_JSON": "true",
            "LOG_LEVEL": "INFO",
            "WORKER_EXTRA_TASK_MODULES": "tests.support.tasks",
            "WORKER_METRICS_PORT": "0",
            "TASK_RETRY_BACKOFF_BASE": "0.5",
            "TASK_RETRY_BACKOFF_MAX": "4",
        }
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # Each line must reach the log by the project's own doing, as where nothing sets this.
    env.pop("PYTHONUNBUFFERED", None)
    env.update(overrides)
    return env


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log_path: Path

    def lines(self) -> list[dict[str, Any]]:
        parsed = []
        for raw in self.log_path.read_text(errors="replace").splitlines():
            try:
                parsed.append(json.loads(raw))
            except ValueError:
                parsed.append({"msg": raw})
        return parsed

    def children(self) -> list[int]:
        return [child.pid for child in psutil.Process(self.popen.pid).children()]

    def wait_for_log(self, predicate: Any, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines():
                if predicate(line):
                    return line
            if self.popen.poll() is not None:
                raise RuntimeError(f"process exited; log:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        raise TimeoutError(f"log line not seen; log:\n{self.log_path.read_text()[-4000:]}")


def _stop(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is None:
        os.killpg(popen.pid, signal.SIGTERM)
        try:
            popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


@contextmanager
def celery_worker(
    env: dict[str, str], log_path: Path, *, concurrency: int = 2, queues: str = ALL_QUEUES
) -> Iterator[Process]:
    prefix = env.get("CELERY_QUEUE_PREFIX", "")  # the queues' names on the broker
    named = ",".join(prefix + queue for queue in queues.split(","))
    command = [
        sys.executable, "-m", "celery", "-A", "worker.app", "worker",
        "-Q", named, "-c", str(concurrency), "--pool", "prefork",
        "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
    ]  # fmt: skip
    with _running(command, env, log_path, ready="ready.") as process:
        yield process


@contextmanager
def celery_beat(env: dict[str, str], log_path: Path) -> Iterator[Process]:
    schedule = log_path.with_suffix(".schedule")
    command = [sys.executable, "-m", "celery", "-A", "worker.app", "beat", "-s", str(schedule)]
    with _running(command, env, log_path, ready="beat: Starting") as process:
        yield process


@contextmanager
def _running(
    command: list[str], env: dict[str, str], log_path: Path, *, ready: str
) -> Iterator[Process]:
    """`command` started in its own process group, once its log says `ready`; stopped after."""
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    process = Process(popen, log_path)
    try:
        process.wait_for_log(lambda line: ready in str(line.get("msg", "")))
        yield process
    finally:
        _stop(popen)
