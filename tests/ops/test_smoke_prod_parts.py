"""The production smoke's pieces that a run does not prove by itself: it reads the real
Procfile (so it starts what deploys), and it only ever drops its own leftovers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.smoke_prod.procfile import read_procfile
from tools.smoke_prod.resources import PREFIX, new_name, stale
from tools.smoke_prod.targets import ROOT


def test_it_runs_the_procfiles_api_worker_and_beat() -> None:
    commands = read_procfile(ROOT / "Procfile")
    assert commands["api"] == ["python", "-m", "backend"]
    assert commands["worker"][:4] == ["celery", "-A", "worker.app", "worker"]
    assert commands["beat"][:4] == ["celery", "-A", "worker.app", "beat"]


def test_a_procfile_without_beat_is_refused(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text("# processes\napi: python -m backend\n\nworker: celery worker\n")
    with pytest.raises(ValueError, match="has no beat process"):
        read_procfile(procfile)


def test_a_line_without_a_command_is_refused(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text("api python -m backend\n")
    with pytest.raises(ValueError, match="not a `name: command` line"):
        read_procfile(procfile)


def test_only_names_of_smokes_that_are_gone_are_stale() -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert not stale(new_name())  # this process is alive
    assert stale(f"{PREFIX}{gone.stdout.strip()}_0badcafe")
    assert not stale(f"digis_e2e_{gone.stdout.strip()}_0badcafe")  # another tool's
    assert not stale(f"{PREFIX}{os.getpid()}_nothex!")


def test_it_refuses_to_start_without_the_service_urls() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    ran = subprocess.run([sys.executable, "-m", "tools.smoke_prod"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert ran.returncode == 2
    assert "DATABASE_URL and REDIS_URL must be set" in ran.stdout
