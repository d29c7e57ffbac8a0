"""`make setup` with no way to reach a package registry: the installer's own error is
shown, then one line on what to check. Runs the real Makefile in a scratch folder, with
the registries pointed at a closed port on this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]
HINT = "Check the network, a proxy (HTTPS_PROXY) and the certificate store"


def run_make(folder: Path, target: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=folder,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    for name in ("Makefile", "package.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_a_failed_npm_install_shows_its_error_and_what_to_check(scratch: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/"
    ran = run_make(
        scratch, ".tools/node_modules/.bin/pnpm", npm_config_registry=closed,
        npm_config_fetch_retries="0",
    )  # fmt: skip
    assert ran.returncode != 0
    assert "ECONNREFUSED" in ran.stdout + ran.stderr  # npm's own error is not hidden
    assert f"Installing pnpm (with npm) failed (the error is above). {HINT}" in ran.stderr


def test_a_failed_pip_install_shows_its_error_and_what_to_check(scratch: Path) -> None:
    (scratch / "requirements").mkdir()
    (scratch / "requirements" / "dev.txt").write_text(f"six==1.16.0 --hash=sha256:{'0' * 64}\n")
    (scratch / "pyproject.toml").write_text("")
    closed = f"http://127.0.0.1:{free_port()}/simple"
    ran = run_make(
        scratch, ".venv/.installed", PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=closed,
        PIP_EXTRA_INDEX_URL="", PIP_FIND_LINKS="", PIP_NO_CACHE_DIR="1", PIP_RETRIES="0",
    )  # fmt: skip
    assert ran.returncode != 0
    assert "six" in ran.stderr  # pip's own error
    assert f"Installing the Python packages failed (the error is above). {HINT}" in ran.stderr
