"""The one typed settings object, read from the environment and an optional `.env`.

Every variable is documented in `.env.example`. `load_settings()` reports every missing or
invalid variable in one message, and refuses development defaults in production.
"""

from __future__ import annotations

import ipaddress
import json
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from limits import parse
from pydantic import (
    AnyHttpUrl,
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    PostgresDsn,
    RedisDsn,
    SecretStr,
    UrlConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Obviously fake values that make `make dev` work out of the box. Production refuses them.
DEV_JWT_SECRET = "dev-only-jwt-secret-do-not-use-in-production-0000"  # noqa: S105
DEV_STRIPE_SECRET_KEY = "sk_test_dev_only_fake_key_for_the_local_emulator"  # noqa: S105
DEV_STRIPE_WEBHOOK_SECRET = "whsec_dev_only_fake_secret_for_the_local_emulator"  # noqa: S105
DEV_STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_dev_only_fake_connect_secret_for_the_local_emulator"  # noqa: S105
DEV_MEDIA_SIGNING_KEY = "dev-only-media-signing-key-do-not-use-in-production-0000"
# Celery's broker: Redis (the default, REDIS_URL) or RabbitMQ through kombu's pyamqp transport.
REDIS_SCHEMES = ("redis", "rediss")
AMQP_SCHEMES = ("amqp", "amqps")
BrokerDsn = Annotated[
    AnyUrl, UrlConstraints(allowed_schemes=[*REDIS_SCHEMES, *AMQP_SCHEMES], host_required=True)
]
DEV_SECRETS = frozenset(
    {
        DEV_JWT_SECRET,
        DEV_STRIPE_SECRET_KEY,
        DEV_STRIPE_WEBHOOK_SECRET,
        DEV_STRIPE_CONNECT_WEBHOOK_SECRET,
        DEV_MEDIA_SIGNING_KEY,
    }
)
MIN_SECRET_BYTES = 32
# Stripe's test-mode secret keys; live ones start with sk_live_ (or rk_live_, restricted).
STRIPE_TEST_KEY_PREFIX = "sk_test_"
# S3's rules for new buckets (3-63 characters, lower case, no leading or trailing dot or dash).
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KEY_PREFIX = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class AppEnv(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class MediaStorage(StrEnum):
    LOCAL = "local"  # files under MEDIA_ROOT: one host, or a volume every process shares
    S3 = "s3"  # an S3-compatible bucket: API instances and workers share nothing else


class TokenPackage(BaseModel):
    id: str
    tokens: int = Field(gt=0)
    price_cents: int = Field(gt=0)
    currency: str = "usd"
    label: str


DEFAULT_TOKEN_PACKAGES = [
    TokenPackage(id="small", tokens=100, price_cents=999, label="100 tokens"),
    TokenPackage(id="medium", tokens=550, price_cents=4999, label="550 tokens"),
    TokenPackage(id="large", tokens=1200, price_cents=9999, label="1200 tokens"),
]

CommaList = Annotated[list[str], NoDecode]


class QueueLeases(BaseModel):
    """Per queue, how long a job may wait for a worker, or run, before the outbox sweeper
    presumes its message or its worker lost and publishes it again (seconds). Above how
    long its jobs really take: a job that outlives its lease may run twice, in parallel."""

    model_config = ConfigDict(extra="forbid")

    webhooks: float = Field(default=30.0, gt=0)
    notifications: float = Field(default=30.0, gt=0)
    default: float = Field(default=60.0, gt=0)
    media: float = Field(default=300.0, gt=0)

    def for_queue(self, queue: str) -> float:
        seconds: float = getattr(self, queue, self.default)
        return seconds


def is_loopback_host(host: str | None) -> bool:
    """`localhost` or a loopback address (127.0.0.0/8, ::1): this machine only."""
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # APP_ENV comes first: the production checks below read it.
    app_env: AppEnv = AppEnv.DEVELOPMENT

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_workers: int = Field(default=1, ge=1)
    proxies_count: int = Field(default=0, ge=0)
    public_url: AnyHttpUrl = AnyHttpUrl("http://localhost:8000")
    frontend_url: AnyHttpUrl = AnyHttpUrl("http://localhost:5173")
    frontend_dist: Path = Path("frontend/dist")
    allowed_origins: CommaList = ["http://localhost:5173", "http://localhost:8000"]
    # Extra hosts the web app may connect to (its Content-Security-Policy), e.g. Sentry's.
    csp_connect_sources: CommaList = []

    database_url: PostgresDsn
    database_pool_max: int = Field(default=10, ge=1)
    redis_url: RedisDsn
    # Redis or RabbitMQ (amqp://, amqps://); REDIS_URL when unset. Redis keeps its other roles.
    celery_broker_url: BrokerDsn | None = None
    # Put before every Celery queue's name: RabbitMQ's queues are shared by all on a vhost,
    # where Redis's are under REDIS_NAMESPACE already.
    celery_queue_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9_.:-]{0,64}$")
    redis_namespace: str = Field(default="digis", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_previous_secret: SecretStr | None = None
    jwt_issuer: str = "digis"
    jwt_audience: str = "digis-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_days: int = Field(default=30, ge=1)
    refresh_family_max_days: int = Field(default=90, ge=1)
    password_reset_ttl_seconds: int = Field(default=3600, ge=300)
    refresh_cookie_secure: bool = True

    stripe_secret_key: SecretStr = SecretStr(DEV_STRIPE_SECRET_KEY)
    stripe_webhook_secret: SecretStr = SecretStr(DEV_STRIPE_WEBHOOK_SECRET)
    stripe_webhook_previous_secret: SecretStr | None = None
    # The Connect endpoint's own signing secret (events about creators' connected accounts).
    stripe_connect_webhook_secret: SecretStr = SecretStr(DEV_STRIPE_CONNECT_WEBHOOK_SECRET)
    stripe_connect_webhook_previous_secret: SecretStr | None = None
    stripe_api_base: AnyHttpUrl | None = None
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=30, le=3600)
    # Handled events are kept this long to recognise late redeliveries and resends.
    stripe_event_retention_days: int = Field(default=30, ge=30)
    # An event that still cannot be applied this long after it arrived (its purchase is
    # unknown, or what it depends on never came) is given up: visible, no longer retried.
    stripe_event_give_up_hours: float = Field(default=72.0, gt=0)
    token_packages: Annotated[list[TokenPackage], NoDecode] = DEFAULT_TOKEN_PACKAGES
    # A Checkout left open expires after this (Stripe allows 30 minutes to 24 hours).
    checkout_expires_minutes: int = Field(default=31, ge=30, le=24 * 60)

    # Creators' earnings and payouts (Stripe Connect, Express accounts).
    creator_token_payout_cents: int = Field(default=5, ge=1)  # what a token pays a creator
    earnings_hold_days: float = Field(default=7, ge=0)  # received tokens wait this long
    payout_minimum_tokens: int = Field(default=100, ge=1)
    payout_currency: str = Field(default="usd", pattern=r"^[a-z]{3}$")
    connect_country: str = Field(default="US", pattern=r"^[A-Z]{2}$")  # of new accounts

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "Digis <no-reply@digis.localhost>"

    media_storage: MediaStorage = MediaStorage.LOCAL
    media_root: Path = Path(".local/media")
    # Credentials come from the client's standard chain (AWS_ACCESS_KEY_ID and friends,
    # web identity, the container's or the instance's role), never from a setting.
    media_s3_bucket: str | None = Field(default=None, validate_default=True)
    media_s3_prefix: str = ""
    media_s3_endpoint_url: AnyHttpUrl | None = None  # MinIO, R2...; unset: AWS for the region
    media_s3_region: str | None = Field(default=None, pattern=r"^[a-z0-9-]{2,32}$")
    # Where public thumbnails are fetched from (a CDN, or the bucket's public address for
    # its derivatives); unset, the API serves them at /media/.
    media_public_url: AnyHttpUrl | None = None
    # Signs the short-lived URLs of protected media (locked posts' photos), HMAC-SHA256.
    media_signing_key: SecretStr = SecretStr(DEV_MEDIA_SIGNING_KEY)
    # How long a signed URL is valid at least (it is rounded up to a fifth of this).
    media_signed_url_ttl: int = Field(default=600, ge=30, le=3600)
    media_max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    media_max_pixels: int = Field(default=50_000_000, ge=1_000_000)

    rate_limit_enabled: bool = True
    # A cap per client IP on every API call (`limits` notation, e.g. `300/minute`), counted
    # exactly in Redis: one round trip per request. Unset, it is the edge proxy's job
    # (docs/deployment.md, "Rate limits across instances"); per-route limits always apply.
    rate_limit_default: str | None = None

    # Below Sanic's 60 s response timeout, which each write of an open stream resets.
    sse_keepalive_seconds: float = Field(default=15.0, gt=0, le=50)

    outbox_sweep_interval_seconds: float = Field(default=5.0, gt=0)
    outbox_lease_seconds: Annotated[QueueLeases, NoDecode] = QueueLeases()
    # A job the sweeper publishes again and again (no worker is taking it) waits twice as
    # long each time, up to this.
    outbox_republish_max_seconds: float = Field(default=900.0, gt=0)
    outbox_retention_days: int = Field(default=7, ge=1)
    celery_visibility_timeout: int = Field(default=7200, ge=1)
    task_max_retries: int = Field(default=8, ge=0)
    task_retry_backoff_base: float = Field(default=1.0, gt=0)
    task_retry_backoff_max: int = Field(default=600, ge=1)
    worker_metrics_port: int = Field(default=9808, ge=0, le=65535)
    worker_metrics_host: str = "127.0.0.1"
    worker_extra_task_modules: CommaList = []
    beat_schedule_path: Path = Path(".local/celerybeat-schedule")

    log_level: str = "INFO"
    log_json: bool | None = None
    sentry_dsn: SecretStr | None = None
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None

    @field_validator("rate_limit_default")
    @classmethod
    def _rate_in_limits_notation(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            parse(value)
        except ValueError as error:
            raise ValueError(f"not a rate such as 300/minute: {value!r}") from error
        return value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("csp_connect_sources", mode="before")
    @classmethod
    def _split_sources(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [source.strip() for source in value.split(",") if source.strip()]
        return value

    @field_validator("worker_extra_task_modules", mode="before")
    @classmethod
    def _split_modules(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [module.strip() for module in value.split(",") if module.strip()]
        return value

    @field_validator("outbox_lease_seconds", mode="before")
    @classmethod
    def _parse_leases(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("token_packages", mode="before")
    @classmethod
    def _parse_packages(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_has_name(cls, value: PostgresDsn) -> PostgresDsn:
        if not (value.path or "").strip("/"):
            raise ValueError("must name a database, e.g. postgres://user@host:5432/digis")
        return value

    @field_validator(
        "jwt_secret",
        "stripe_secret_key",
        "stripe_webhook_secret",
        "stripe_connect_webhook_secret",
        "media_signing_key",
    )
    @classmethod
    def _production_secret(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        if info.data.get("app_env") != AppEnv.PRODUCTION:
            return value
        secret = value.get_secret_value()
        if secret in DEV_SECRETS:
            raise ValueError("must be set in production (the development default is refused)")
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes in production")
        return value

    @field_validator("stripe_api_base")
    @classmethod
    def _no_emulator_in_production(
        cls, value: AnyHttpUrl | None, info: ValidationInfo
    ) -> AnyHttpUrl | None:
        """In production the SDK talks to Stripe itself. The one exception is the
        production smoke (`make smoke-prod`): an emulator on this machine with a test-mode
        key, which no real money can reach. A live key never goes to another address."""
        if value is None or info.data.get("app_env") != AppEnv.PRODUCTION:
            return value
        key = info.data.get("stripe_secret_key")
        test_mode = key is not None and key.get_secret_value().startswith(STRIPE_TEST_KEY_PREFIX)
        if not (test_mode and is_loopback_host(value.host)):
            raise ValueError(
                "must be unset in production (it points the SDK at an emulator); it is "
                f"allowed only with a {STRIPE_TEST_KEY_PREFIX}... key and a loopback host"
            )
        return value

    @field_validator(
        "media_s3_bucket",
        "media_s3_endpoint_url",
        "media_s3_region",
        "media_public_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("media_s3_bucket")
    @classmethod
    def _bucket_for_s3(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            if info.data.get("media_storage") == MediaStorage.S3:
                raise ValueError("is required when MEDIA_STORAGE=s3")
            return None
        if not BUCKET_NAME.fullmatch(value):
            raise ValueError("is not a valid bucket name (3-63 of a-z, 0-9, '.', '-')")
        return value

    @field_validator("media_s3_prefix")
    @classmethod
    def _key_prefix(cls, value: str) -> str:
        prefix = value.strip("/")
        if prefix and not KEY_PREFIX.fullmatch(prefix):
            raise ValueError("may only hold path segments of letters, digits, '.', '_' and '-'")
        return prefix

    @field_validator("media_public_url")
    @classmethod
    def _public_base(cls, value: AnyHttpUrl | None, info: ValidationInfo) -> AnyHttpUrl | None:
        if value is None:
            return None
        if value.query or value.fragment or value.username or value.password:
            raise ValueError("must be a base URL, without credentials, a query or a fragment")
        if value.scheme != "https" and info.data.get("app_env") == AppEnv.PRODUCTION:
            raise ValueError("must be https in production (the site's pages are)")
        return value

    @field_validator("refresh_cookie_secure")
    @classmethod
    def _secure_outside_development(cls, value: bool, info: ValidationInfo) -> bool:
        if not value and info.data.get("app_env") != AppEnv.DEVELOPMENT:
            raise ValueError("may only be false in development")
        return value

    @model_validator(mode="after")
    def _consistent_limits(self) -> Self:
        if self.refresh_family_max_days < self.refresh_token_ttl_days:
            raise ValueError("REFRESH_FAMILY_MAX_DAYS must be >= REFRESH_TOKEN_TTL_DAYS")
        # Only Redis redelivers after a visibility timeout; RabbitMQ on a lost connection.
        if self.broker_is_redis and self.celery_visibility_timeout <= self.task_retry_backoff_max:
            raise ValueError("CELERY_VISIBILITY_TIMEOUT must exceed TASK_RETRY_BACKOFF_MAX")
        return self

    @property
    def is_production(self) -> bool:
        return self.app_env == AppEnv.PRODUCTION

    @property
    def is_development(self) -> bool:
        return self.app_env == AppEnv.DEVELOPMENT

    @property
    def broker_url(self) -> str:
        return str(self.celery_broker_url or self.redis_url)

    @property
    def broker_is_redis(self) -> bool:
        """Celery's broker is Redis (else RabbitMQ)."""
        return urlsplit(self.broker_url).scheme in REDIS_SCHEMES

    @property
    def media_public_base(self) -> str | None:
        """MEDIA_PUBLIC_URL without its trailing slash: public names are appended to it."""
        return str(self.media_public_url).rstrip("/") if self.media_public_url else None

    @property
    def media_public_origin(self) -> str | None:
        """The origin pages load thumbnails from when it is not the API's own."""
        if self.media_public_url is None:
            return None
        parts = urlsplit(str(self.media_public_url))
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json

    @property
    def tortoise_db_url(self) -> str:
        """Tortoise wants the `postgres://` scheme whatever alias the DSN used."""
        url = str(self.database_url)
        return "postgres://" + url.split("://", 1)[1]

    def redis_key(self, *parts: str) -> str:
        return ":".join((self.redis_namespace, *parts))


class SettingsError(Exception):
    """Raised with one message that lists every missing or invalid variable; `problems`
    holds the same as (variable, message) pairs."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]).upper() or "SETTINGS"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required but not set"
        problems.append((where, message))
    return problems


def describe_errors(error: ValidationError) -> str:
    lines = [f"  - {where}: {message}" for where, message in problems_of(error)]
    return "Invalid configuration:\n" + "\n".join(lines)


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_errors(error), problems_of(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
