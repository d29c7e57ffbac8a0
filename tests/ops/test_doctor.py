"""`make doctor`: each check against the real thing (a port this test holds, the machine's
servers, a port nobody listens on), and the report it prints."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.doctor import checks
from tools.doctor.checks import Status

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def held_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_port_in_use_is_named_with_how_to_find_its_owner(held_port: int) -> None:
    finding = checks.port(held_port, "the API")
    assert finding.status is Status.WARN
    assert "the API of `make dev` needs it" in finding.detail
    assert f"sport = :{held_port}" in finding.fix


def test_a_free_port_is_ok(closed_port: int) -> None:
    assert checks.port(closed_port, "the API").status is Status.OK


def test_an_old_python_is_refused_with_what_to_install() -> None:
    finding = checks.python((3, 10, 12))
    assert finding.status is Status.FAIL
    assert "3.11 or newer" in finding.fix
    assert checks.python((3, 11, 0)).status is Status.OK


def test_too_little_disk_says_how_much_to_free(tmp_path: Path) -> None:
    finding = checks.disk(tmp_path, minimum=2**62)
    assert finding.status is Status.FAIL
    assert "free at least" in finding.fix
    assert checks.disk(tmp_path, minimum=1).status is Status.OK


def test_the_configured_servers_answer() -> None:
    env = dict(os.environ)
    if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        pytest.skip("needs DATABASE_URL and REDIS_URL")
    assert checks.service("DATABASE_URL", env).status is Status.OK
    assert checks.service("REDIS_URL", env).status is Status.OK


def test_a_server_that_does_not_answer_is_a_failure_with_its_fix(closed_port: int) -> None:
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port}/digis"}
    finding = checks.service("DATABASE_URL", env)
    assert finding.status is Status.FAIL
    assert f"127.0.0.1:{closed_port}, which does not answer as postgres" in finding.detail
    assert "unset it to use a project-local one" in finding.fix


def test_redis_is_not_mistaken_for_postgres() -> None:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs REDIS_URL")
    finding = checks.service("DATABASE_URL", {"DATABASE_URL": redis_url})
    assert finding.status is Status.FAIL


def test_unset_urls_mean_the_project_local_servers(tmp_path: Path) -> None:
    finding = checks.service("REDIS_URL", {}, root=tmp_path)
    assert finding.status is Status.OK
    assert "project-local redis" in finding.detail


@pytest.mark.skipif(os.geteuid() != 0, reason="the check only matters as root")
def test_root_without_useradd_is_told_what_to_do(tmp_path: Path) -> None:
    finding = checks.root_can_run_local_postgres({"PATH": str(tmp_path)})
    assert finding.status is Status.FAIL
    assert "run as a non-root user" in finding.fix


def test_make_doctor_prints_every_check_and_a_verdict() -> None:
    ran = subprocess.run(
        ["make", "--no-print-directory", "doctor", f"PYTHON={sys.executable}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    for name in ("python", "node", "pnpm", "port 8000", "port 5173", "port 12111",
                 "port 1025", "disk", "postgres", "redis"):  # fmt: skip
        assert f" {name} " in ran.stdout, ran.stdout
    assert "doctor: " in ran.stdout.splitlines()[-1]
    assert ran.returncode == (1 if " FAIL " in ran.stdout else 0)
