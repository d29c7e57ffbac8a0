"""What the smoke starts: the production virtualenv, or the Docker image.

Both run the same Procfile commands with the same environment; they differ in how a
command is run and where the media volume, the web app and the beat schedule live.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from tools.smoke_prod.processes import SmokeFailure, Supervisor

ROOT = Path(__file__).resolve().parents[2]
# No .pyc files written at install (the processes compile what they import): a faster install.
PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
# What a deployment gets of the checkout: the Dockerfile copies the same.
PACKAGE_SOURCES = ("pyproject.toml", "README.md", "backend", "worker")
RUN_ONCE_TIMEOUT = 300
# What a process takes from the machine's environment; nothing of the development one.
MACHINE_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
DOCKER_STOP_SECONDS = 15


def run_checked(
    argv: Sequence[str], what: str, *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> str:
    """Run a set-up step; on failure its output becomes the failure's message."""
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_ONCE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise SmokeFailure(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


class Target(Protocol):
    def describe(self) -> str: ...

    def paths(self) -> dict[str, str]:
        """MEDIA_ROOT, FRONTEND_DIST and BEAT_SCHEDULE_PATH as the processes see them."""
        ...

    def prepare(self, env: dict[str, str]) -> None: ...

    def run_once(self, argv: Sequence[str], what: str) -> None: ...

    def start(self, supervisor: Supervisor, name: str, argv: Sequence[str]) -> None: ...

    def cleanup(self) -> None: ...


class ProductionVirtualenv:
    """A new virtualenv with `requirements/main.txt` (hashes checked) and the package
    installed from a copy of its sources, not editable, without dependencies. Processes run
    in a folder holding only `migrations/`, so nothing is imported from the checkout."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.venv = work / "venv"
        self.app = work / "app"
        self.env: dict[str, str] = {}

    def describe(self) -> str:
        return f"the production virtualenv {self.venv}"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def paths(self) -> dict[str, str]:
        return {
            "MEDIA_ROOT": str(self.work / "media"),
            "FRONTEND_DIST": str(ROOT / "frontend" / "dist"),
            "BEAT_SCHEDULE_PATH": str(self.work / "celerybeat-schedule"),
        }

    def prepare(self, env: dict[str, str]) -> None:
        self.env = {**env, "PATH": f"{self.bin}:{env['PATH']}"}
        run_checked([sys.executable, "-m", "venv", str(self.venv)], "creating the virtualenv")
        python = str(self.bin / "python")
        requirements = str(ROOT / "requirements" / "main.txt")
        run_checked(
            [python, *PIP, "--require-hashes", "-r", requirements],
            "installing requirements/main.txt",
        )
        source = self.work / "source"
        for name in PACKAGE_SOURCES:
            copy(ROOT / name, source / name)
        run_checked(
            [python, *PIP, "--no-deps", "--no-build-isolation", str(source)],
            "installing the package (not editable)",
        )
        run_checked([python, "-m", "pip", "check"], "pip check of the production virtualenv")
        copy(ROOT / "migrations", self.app / "migrations")
        self._check_not_from_checkout(python)

    def _check_not_from_checkout(self, python: str) -> None:
        where = run_checked(
            [python, "-c", "import backend, worker; print(backend.__file__, worker.__file__)"],
            "importing the installed package",
            cwd=self.app,
        ).split()
        stray = [path for path in where if not Path(path).is_relative_to(self.venv)]
        if stray:
            raise SmokeFailure(f"the package was imported from outside the virtualenv: {stray}")

    def run_once(self, argv: Sequence[str], what: str) -> None:
        run_checked(self._resolve(argv), what, env=self.env, cwd=self.app)

    def start(self, supervisor: Supervisor, name: str, argv: Sequence[str]) -> None:
        supervisor.start(name, self._resolve(argv), env=self.env, cwd=self.app)

    def _resolve(self, argv: Sequence[str]) -> list[str]:
        """The command's program from the virtualenv, never from the PATH's others."""
        program = self.bin / argv[0]
        if not program.exists():
            raise SmokeFailure(f"`{argv[0]}` is not in the production virtualenv ({self.bin})")
        return [str(program), *argv[1:]]

    def cleanup(self) -> None:
        """The work folder goes with the smoke's temporary folder."""


class DockerImage:
    """The image, each process a container on the host network (it reaches the emulator,
    PostgreSQL and Redis on loopback), one named volume shared as the media folder."""

    def __init__(self, image: str, work: Path, token: str) -> None:
        self.image = image
        self.env_file = work / "docker.env"
        self.prefix = f"digis-smoke-{token}"
        self.volume = f"{self.prefix}-media"
        self.containers: list[str] = []

    def describe(self) -> str:
        return f"the image {self.image}"

    def paths(self) -> dict[str, str]:
        return {
            "MEDIA_ROOT": "/data/media",
            "FRONTEND_DIST": "/app/frontend/dist",
            "BEAT_SCHEDULE_PATH": "/tmp/celerybeat-schedule",  # noqa: S108 (the container's)
        }

    def prepare(self, env: dict[str, str]) -> None:
        if shutil.which("docker") is None:
            raise SmokeFailure("`docker` is not on PATH: the image mode needs a Docker engine")
        run_checked(["docker", "image", "inspect", self.image], f"finding the image {self.image}")
        # A container has its own PATH, HOME and temporary folder.
        container_env = {k: v for k, v in env.items() if k not in MACHINE_VARIABLES}
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in container_env.items()))
        self.env_file.chmod(0o600)
        run_checked(["docker", "volume", "create", self.volume], "creating the media volume")

    def _run(self, name: str | None) -> list[str]:
        named = ["--name", name] if name else []
        return [
            "docker", "run", "--rm", *named, "--network", "host",
            "--env-file", str(self.env_file), "--volume", f"{self.volume}:/data/media",
            self.image,
        ]  # fmt: skip

    def run_once(self, argv: Sequence[str], what: str) -> None:
        run_checked([*self._run(None), *argv], what)

    def start(self, supervisor: Supervisor, name: str, argv: Sequence[str]) -> None:
        container = f"{self.prefix}-{name}"
        self.containers.append(container)

        def stop() -> None:
            subprocess.run(
                ["docker", "stop", "--time", str(DOCKER_STOP_SECONDS), container],
                capture_output=True,
                timeout=DOCKER_STOP_SECONDS + 15,
                check=False,
            )

        # The docker client's own environment: the container's comes from the env file.
        client_env = dict(os.environ)
        supervisor.start(name, [*self._run(container), *argv], env=client_env, cwd=ROOT, stop=stop)

    def cleanup(self) -> None:
        for container in self.containers:
            subprocess.run(
                ["docker", "rm", "--force", container], capture_output=True, timeout=60, check=False
            )
        subprocess.run(
            ["docker", "volume", "rm", "--force", self.volume],
            capture_output=True,
            timeout=60,
            check=False,
        )


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)
