"""Ctrl-C in the terminal of `make dev` stops the stack quietly with exit 0; a process that
fails on its own still fails `make`.

A real terminal (a pty) runs `make`, whose recipe has the shape of `make dev`'s:
`tools.foreground` running honcho over a Procfile (processes that need no ports here).
The test types Ctrl-C into the terminal, as a person would.
"""

from __future__ import annotations

import os
import pty
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HONCHO = Path(sys.executable).parent / "honcho"
WAIT_SECONDS = 60

SERVER = "import time; print('serving', flush=True); time.sleep(600)"
CRASHES = "import sys; sys.exit(3)"


def write_stack(folder: Path, processes: dict[str, str]) -> Path:
    procfile = folder / "Procfile"
    procfile.write_text(
        "".join(f'{name}: {sys.executable} -c "{code}"\n' for name, code in processes.items())
    )
    makefile = folder / "Makefile"
    makefile.write_text(
        "dev:\n"
        f"\t@{sys.executable} -m tools.foreground {HONCHO} -f {procfile} start\n"
        "\t@echo 'after the stack'\n"
    )
    return makefile


class Terminal:
    """`make` on a pty of its own: what it prints, typing into it, its exit status."""

    def __init__(self, makefile: Path) -> None:
        pid, self.fd = pty.fork()
        if pid == 0:  # the child: a session whose controlling terminal is the pty
            os.chdir(ROOT)
            os.execvp("make", ["make", "--no-print-directory", "-f", str(makefile), "dev"])  # noqa: S606
        self.pid = pid
        self.output = b""

    def read_until(self, wanted: bytes, times: int = 1) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.output.count(wanted) < times:
            assert time.monotonic() < deadline, f"no {wanted!r} in {self.output!r}"
            if not self._read():
                break

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: every process of the terminal has gone
            return False
        self.output += chunk
        return bool(chunk)

    def finish(self) -> int:
        while self._read():
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_ctrl_c_stops_the_stack_quietly_with_exit_0(tmp_path: Path) -> None:
    terminal = Terminal(write_stack(tmp_path, {"api": SERVER, "worker": SERVER}))
    terminal.read_until(b"serving", times=2)  # both processes run: honcho has started
    os.write(terminal.fd, b"\x03")  # Ctrl-C
    code = terminal.finish()
    text = terminal.output.decode(errors="replace")
    assert code == 0, text
    assert "SIGINT received" in text
    assert "after the stack" in text  # make carried on: it never saw the Ctrl-C
    assert "Interrupt" not in text
    assert "Error" not in text
    assert "ELIFECYCLE" not in text


def test_a_process_that_fails_on_its_own_still_fails_make(tmp_path: Path) -> None:
    terminal = Terminal(write_stack(tmp_path, {"api": SERVER, "broken": CRASHES}))
    code = terminal.finish()
    text = terminal.output.decode(errors="replace")
    assert code != 0, text
    assert "broken.1 stopped (rc=3)" in text
    assert "after the stack" not in text


def test_the_web_process_is_vite_itself_not_pnpms_script_runner() -> None:
    web = next(
        line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("web:")
    )
    assert "node_modules/.bin/vite" in web
    assert "pnpm" not in web
