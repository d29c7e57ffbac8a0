"""Exit 1 when the models and the migration series disagree (a migration is missing).

    python -m tools.check_migrations

It asks aerich for the next migration, offline and in a scratch copy of `migrations/`,
so nothing in the work tree or the database changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pending_changes() -> str | None:
    """aerich's output when a migration would be generated, else None."""
    with tempfile.TemporaryDirectory() as scratch:
        location = Path(scratch) / "migrations"
        shutil.copytree(ROOT / "migrations", location)
        aerich = str(Path(sys.executable).parent / "aerich")
        config = Path(scratch) / "pyproject.toml"
        config.write_text(
            "[tool.aerich]\n"
            'tortoise_orm = "backend.db.TORTOISE_ORM"\n'
            f'location = "{location}"\n'
            f'src_folder = "{ROOT}"\n'
        )
        result = subprocess.run(
            [aerich, "-c", str(config), "migrate", "--offline", "--no-input", "--name", "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        created = sorted(p.name for p in (location / "models").glob("*.py"))
        original = sorted(p.name for p in (ROOT / "migrations" / "models").glob("*.py"))
        if created != original:
            return result.stdout
    return None


def main() -> int:
    changes = pending_changes()
    if changes:
        print("The models changed but no migration records it; run `make makemigrations`.")
        print(changes)
        return 1
    print("Models and migrations agree.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
