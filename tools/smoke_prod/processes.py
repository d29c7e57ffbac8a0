"""The smoke's child processes: each in its own session with its log in a file, stopped
with its whole group, and dying with the smoke if the smoke is killed."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

STOP_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1
TAIL_LINES = 40


class SmokeFailure(Exception):
    """A step of the smoke did not give what it should; the message says which."""


def _load_libc() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


# Loaded here, not in the child: between fork and exec only the call itself is safe.
_LIBC = _load_libc()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the smoke dies, even by SIGKILL (Linux)."""
    prctl = getattr(_LIBC, "prctl", None)
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while tearing down (every step of it is bounded)."""
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_on_sigterm() -> None:
    """A SIGTERM (CI cancelling the job) unwinds like Ctrl-C, so teardown runs."""

    def unwind(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, unwind)


@dataclass
class Supervisor:
    """Starts named processes and stops them all, whatever state they are in."""

    logs_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: dict[str, IO[bytes]] = field(default_factory=dict)
    # Extra stop steps for processes that are only a client of the real one (docker run).
    _stoppers: dict[str, Callable[[], None]] = field(default_factory=dict)

    def log_path(self, name: str) -> Path:
        return self.logs_dir / f"{name}.log"

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        cwd: Path,
        stop: Callable[[], None] | None = None,
    ) -> None:
        log = self.log_path(name).open("wb")
        self._logs[name] = log
        self.processes[name] = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        if stop is not None:
            self._stoppers[name] = stop

    def check_running(self) -> None:
        """Fail at once, naming it, when a process has exited (it refused to start or
        crashed), rather than waiting for a timeout."""
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                raise SmokeFailure(f"`{name}` exited with code {code}; its log is below")

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is None:
                stopper = self._stoppers.get(name)
                if stopper is not None:
                    stopper()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # The group may outlive its leader (Celery's pool children).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for log in self._logs.values():
            log.close()

    def print_tails(self, write: Callable[[str], None]) -> None:
        for name in self.processes:
            lines = self.log_path(name).read_text(errors="replace").splitlines()
            write(f"----- the last {TAIL_LINES} lines of `{name}` ({self.log_path(name)}) -----")
            for line in lines[-TAIL_LINES:]:
                write(line)
