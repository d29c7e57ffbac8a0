"""`python -m tools.foreground CMD...`: run CMD as the terminal's foreground job, so a
Ctrl-C reaches CMD alone and a stop the user asked for ends with exit 0.

`make dev` runs honcho through this. Without it the terminal's Ctrl-C reaches `make` as
well, which reports `*** Interrupt` (or the `Error 143` of the children it SIGTERMs) and
exits non-zero, however cleanly the stack stopped. Here CMD gets a process group of its
own and the terminal's foreground, as a shell's job control would do; `make` never sees
the Ctrl-C. CMD exiting because it was interrupted (130, 143, or killed by SIGINT or
SIGTERM) counts as success; any other exit status is passed on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

INTERRUPTED = frozenset({130, 143, -signal.SIGINT, -signal.SIGTERM})


def terminal_fd() -> int | None:
    """The controlling terminal when this process may hand it over, else None."""
    try:
        fd = sys.stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


@contextlib.contextmanager
def signals_ignored(*signums: int) -> Iterator[None]:
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def hand_terminal_to(fd: int, pgid: int) -> None:
    # From a background group, tcsetpgrp raises SIGTTOU; ignoring it is how shells do it.
    with signals_ignored(signal.SIGTTOU), contextlib.suppress(OSError):
        os.tcsetpgrp(fd, pgid)


def run(argv: list[str]) -> int:
    fd = terminal_fd()
    if fd is None:
        return subprocess.call(argv)
    own_group = os.getpgrp()
    child = subprocess.Popen(argv, process_group=0)
    hand_terminal_to(fd, child.pid)
    try:
        # A signal meant for the job while the terminal was being handed over is its own.
        with signals_ignored(signal.SIGINT, signal.SIGQUIT):
            return child.wait()
    finally:
        hand_terminal_to(fd, own_group)


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    code = run(command)
    return 0 if code in INTERRUPTED else code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
