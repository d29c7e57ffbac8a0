"""The emulator's settings, read from environment variables (listed in the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from backend.settings import DEV_STRIPE_CONNECT_WEBHOOK_SECRET, DEV_STRIPE_WEBHOOK_SECRET

DEFAULT_PORT = 12111
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:8000/api/webhooks/stripe"
DEFAULT_CONNECT_WEBHOOK_URL = "http://127.0.0.1:8000/api/webhooks/stripe/connect"

T = TypeVar("T")


@dataclass(frozen=True)
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    # Base of the hosted-page URLs handed out in `session.url`; None = http://localhost:<port>.
    public_url: str | None = None
    # None disables delivery (events are still recorded).
    webhook_url: str | None = DEFAULT_WEBHOOK_URL
    webhook_secret: str = DEV_STRIPE_WEBHOOK_SECRET
    extra_signing_secret: str | None = None
    # The Connect endpoint: events about connected accounts (they carry `account`).
    connect_webhook_url: str | None = DEFAULT_CONNECT_WEBHOOK_URL
    connect_webhook_secret: str = DEV_STRIPE_CONNECT_WEBHOOK_SECRET
    # Seconds before a payout is paid, and before an automatic payout follows a transfer.
    payout_delay: float = 1.0
    # Seconds an Account Link can be opened for (Stripe: a few minutes).
    account_link_ttl: float = 300.0
    retry_base: float = 1.0
    retry_cap: float = 60.0
    max_attempts: int = 10
    delivery_timeout: float = 10.0

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def signing_secrets(self) -> list[str]:
        extra = [self.extra_signing_secret] if self.extra_signing_secret else []
        return [self.webhook_secret, *extra]

    def endpoint(self, *, connect: bool) -> tuple[str | None, list[str]]:
        """Where an event goes and the secrets it is signed with: the Connect endpoint for
        events about a connected account, the account endpoint for the platform's own."""
        if connect:
            return self.connect_webhook_url, [self.connect_webhook_secret]
        return self.webhook_url, self.signing_secrets

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EmulatorConfig:
        """Read the STRIPE_EMULATOR_* variables; raise ValueError naming every bad one."""
        problems: list[str] = []

        def read(name: str, parse: Callable[[str], T], default: T) -> T:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = parse(raw)
            except ValueError:
                problems.append(f"{name}={raw!r} is not a valid {parse.__name__}")
                return default
            if isinstance(value, int | float) and value < 0:
                problems.append(f"{name}={raw!r} must not be negative")
                return default
            return value

        port = read("STRIPE_EMULATOR_PORT", int, DEFAULT_PORT)
        config = cls(
            host=env.get("STRIPE_EMULATOR_HOST", "").strip() or "127.0.0.1",
            port=port,
            public_url=env.get("STRIPE_EMULATOR_PUBLIC_URL", "").strip() or None,
            # Set but empty means "no webhook endpoint"; unset means the API's default route.
            webhook_url=env.get("STRIPE_EMULATOR_WEBHOOK_URL", DEFAULT_WEBHOOK_URL).strip() or None,
            webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", "").strip()
            or DEV_STRIPE_WEBHOOK_SECRET,
            extra_signing_secret=env.get("STRIPE_EMULATOR_EXTRA_SIGNING_SECRET", "").strip()
            or None,
            connect_webhook_url=env.get(
                "STRIPE_EMULATOR_CONNECT_WEBHOOK_URL", DEFAULT_CONNECT_WEBHOOK_URL
            ).strip()
            or None,
            connect_webhook_secret=env.get("STRIPE_CONNECT_WEBHOOK_SECRET", "").strip()
            or DEV_STRIPE_CONNECT_WEBHOOK_SECRET,
            payout_delay=read("STRIPE_EMULATOR_PAYOUT_DELAY", float, 1.0),
            account_link_ttl=read("STRIPE_EMULATOR_ACCOUNT_LINK_TTL", float, 300.0),
            retry_base=read("STRIPE_EMULATOR_RETRY_BASE", float, 1.0),
            max_attempts=read("STRIPE_EMULATOR_MAX_ATTEMPTS", int, 10),
        )
        if config.max_attempts < 1:
            problems.append("STRIPE_EMULATOR_MAX_ATTEMPTS must be at least 1")
        if problems:
            raise ValueError("invalid Stripe emulator settings: " + "; ".join(problems))
        return config
