from __future__ import annotations

import subprocess
import sys

from tests.support.database import ROOT


def test_models_and_migrations_agree(database: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.check_migrations"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Models and migrations agree." in result.stdout
