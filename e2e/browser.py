"""Which Chromium the suite drives: E2E_CHROMIUM if set, else the one Playwright installed
(`playwright install chromium`), else the system's.

`python -m e2e.browser` prints the one it would use, or a one-line hint and exits 1.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

OVERRIDE = "E2E_CHROMIUM"
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "No Chromium found: run `.venv/bin/playwright install chromium` (or install your "
    "system's chromium package, e.g. `sudo apt-get install chromium`), or set E2E_CHROMIUM."
)
# Flags for running as root in containers and on machines without outside network access.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _executable(path: str) -> str | None:
    """`path` itself when it is an executable file, else the command of that name on PATH."""
    if os.sep in path:
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    return shutil.which(path)


def playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver or no browser: fall through
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_chromium() -> str | None:
    """The executable to launch, or None when there is none (or E2E_CHROMIUM is wrong)."""
    override = os.environ.get(OVERRIDE)
    if override:
        return _executable(override)
    return playwright_chromium() or system_chromium()


def missing_hint() -> str:
    """One line saying what to do when `find_chromium()` found nothing."""
    override = os.environ.get(OVERRIDE)
    if override:
        return f"{OVERRIDE}={override} is not an executable: fix or unset it."
    return INSTALL_HINT


def main() -> int:
    found = find_chromium()
    if found is None:
        print(missing_hint(), file=sys.stderr)
        return 1
    print(f"e2e: Chromium at {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
