"""`python -m tools.smoke_prod [--image IMAGE]`: start the production install, walk the
journey, tear everything down whatever happens (see the package docstring).

Needs DATABASE_URL (any database on the server: the smoke creates its own beside it) and
REDIS_URL; `make smoke-prod` sets them, starting the project-local servers if unset.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import httpx

from tools.localservices.common import free_port
from tools.smoke_prod.journey import Journey
from tools.smoke_prod.processes import (
    SmokeFailure,
    Supervisor,
    exit_on_sigterm,
    signals_deferred,
)
from tools.smoke_prod.procfile import PROCESSES, read_procfile
from tools.smoke_prod.resources import Database, RedisNamespace, Secrets
from tools.smoke_prod.targets import (
    MACHINE_VARIABLES,
    ROOT,
    DockerImage,
    ProductionVirtualenv,
    Target,
)

HTTP_TIMEOUT = 30


def say(line: str) -> None:
    print(f"smoke-prod: {line}", flush=True)


class Smoke:
    def __init__(self, target: Target, work: Path, database_url: str, redis_url: str) -> None:
        self.target = target
        self.work = work
        self.secrets = Secrets()
        self.database = Database(database_url)
        self.namespace = RedisNamespace(redis_url)
        self.api_port = free_port()
        self.stripe_port = free_port()
        self.supervisor = Supervisor(logs_dir=work / "logs")
        self.supervisor.logs_dir.mkdir()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def stripe_url(self) -> str:
        return f"http://127.0.0.1:{self.stripe_port}"

    def production_env(self) -> dict[str, str]:
        """Everything `APP_ENV=production` requires, as docs/deployment.md lists it."""
        machine = {name: os.environ[name] for name in MACHINE_VARIABLES if name in os.environ}
        return {
            **machine,
            "APP_ENV": "production",
            "HOST": "127.0.0.1",
            "PORT": str(self.api_port),
            "DATABASE_URL": self.database.url,
            "REDIS_URL": self.namespace.url,
            "REDIS_NAMESPACE": self.namespace.name,
            "JWT_SECRET": self.secrets.jwt,
            "STRIPE_SECRET_KEY": self.secrets.stripe_key,
            "STRIPE_WEBHOOK_SECRET": self.secrets.webhook,
            "STRIPE_CONNECT_WEBHOOK_SECRET": self.secrets.connect_webhook,
            "MEDIA_SIGNING_KEY": self.secrets.media_signing,
            "STRIPE_API_BASE": self.stripe_url,
            "PUBLIC_URL": self.api_url,
            "FRONTEND_URL": self.api_url,
            "ALLOWED_ORIGINS": self.api_url,
            # Nothing listens there: the journey sends no mail.
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(free_port()),
            "WORKER_METRICS_PORT": "0",
            "LOG_LEVEL": "INFO",
            **self.target.paths(),
        }

    def emulator_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "STRIPE_EMULATOR_HOST": "127.0.0.1",
            "STRIPE_EMULATOR_PORT": str(self.stripe_port),
            "STRIPE_EMULATOR_PUBLIC_URL": self.stripe_url,
            "STRIPE_EMULATOR_WEBHOOK_URL": f"{self.api_url}/api/webhooks/stripe",
            "STRIPE_WEBHOOK_SECRET": self.secrets.webhook,
            "STRIPE_EMULATOR_CONNECT_WEBHOOK_URL": f"{self.api_url}/api/webhooks/stripe/connect",
            "STRIPE_CONNECT_WEBHOOK_SECRET": self.secrets.connect_webhook,
        }

    def run(self) -> None:
        commands = read_procfile(ROOT / "Procfile")
        env = self.production_env()
        started = time.monotonic()
        self.target.prepare(env)
        say(f"installed {self.target.describe()} ({time.monotonic() - started:.0f} s)")
        self.namespace.delete_stale()
        self.database.create()
        self.target.run_once(["digis", "migrate"], "`digis migrate`")
        say(f"migrated the database {self.database.name}")
        emulator = [sys.executable, "-m", "tools.stripe_emulator"]
        self.supervisor.start("stripe", emulator, env=self.emulator_env(), cwd=ROOT)
        for name in PROCESSES:
            self.target.start(self.supervisor, name, commands[name])
        say(f"started {', '.join(PROCESSES)} from the Procfile and the Stripe emulator")
        with (
            httpx.Client(base_url=self.api_url, timeout=HTTP_TIMEOUT) as api,
            httpx.Client(base_url=self.stripe_url, timeout=HTTP_TIMEOUT) as stripe,
        ):
            Journey(api, stripe, self.supervisor.check_running, say).run()
        self.supervisor.check_running()

    def teardown(self) -> None:
        with signals_deferred():
            self.supervisor.stop_all()
            self.target.cleanup()
            for step in (self.database.drop, self.namespace.delete):
                try:
                    step()
                except Exception as error:  # noqa: BLE001 (teardown goes on; says what stayed)
                    say(f"teardown: {step.__qualname__} failed: {error}")


def fail(smoke: Smoke) -> int:
    smoke.supervisor.print_tails(print)
    return 1


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.smoke_prod", description=__doc__)
    parser.add_argument(
        "--image", help="run the processes from this Docker image instead of a virtualenv"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        say("DATABASE_URL and REDIS_URL must be set (`make smoke-prod` sets them)")
        return 2
    exit_on_sigterm()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="digis-smoke-") as folder:
        work = Path(folder)
        token = work.name.rsplit("-", 1)[-1].lower()
        target: Target = (
            DockerImage(args.image, work, token) if args.image else ProductionVirtualenv(work)
        )
        smoke = Smoke(target, work, database_url, redis_url)
        try:
            smoke.run()
        except SmokeFailure as failure:
            say(f"FAILED: {failure}")
            return fail(smoke)
        except KeyboardInterrupt:
            say("interrupted")
            return fail(smoke)
        except Exception:  # noqa: BLE001 (an HTTP error, a bad answer: still the logs)
            say("FAILED with an unexpected error:")
            traceback.print_exc()
            return fail(smoke)
        finally:
            smoke.teardown()
    say(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
