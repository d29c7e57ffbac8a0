"""Project-local PostgreSQL and Redis for `make dev` and `make test`.

    python -m tools.localservices run -- CMD...   run CMD with DATABASE_URL/REDIS_URL set,
                                                  starting local servers for the unset ones
    python -m tools.localservices up|down|status

Servers live under `.local/services/` (git-ignored), keep running between runs so the next
run starts fast, and stop with `down` (`make stop`).
"""

from __future__ import annotations

import os
import sys

from tools.localservices.common import Service, ServiceError
from tools.localservices.postgres import Postgres
from tools.localservices.redis import Redis

SERVICES: dict[str, type[Service]] = {"DATABASE_URL": Postgres, "REDIS_URL": Redis}


def ensure_environment() -> dict[str, str]:
    """Fill in every unset URL with a local server's; the machine's own servers win."""
    env = dict(os.environ)
    for variable, service in SERVICES.items():
        if not env.get(variable):
            env[variable] = service().ensure_running()
            print(f"localservices: {variable}={env[variable]} (project-local)", file=sys.stderr)
    return env


def main(argv: list[str]) -> int:
    try:
        return run(argv)
    except ServiceError as error:
        print(f"localservices: {error}", file=sys.stderr)
        return 1


def run(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "run":
        program = argv[argv.index("--") + 1 :] if "--" in argv else argv[1:]
        env = ensure_environment()
        os.execvpe(program[0], program, env)
    if command == "up":
        for variable, service in SERVICES.items():
            print(f"{variable}={service().ensure_running()}")
        return 0
    if command == "down":
        for service in SERVICES.values():
            service().stop()
        print("localservices: stopped")
        return 0
    if command == "status":
        for service in SERVICES.values():
            instance = service()
            state = "running" if instance.is_running() else "stopped"
            print(f"{instance.name}: {state} {instance.url() if instance.port else ''}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
