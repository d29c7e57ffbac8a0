from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backend.settings import DEV_JWT_SECRET, AppEnv, SettingsError, load_settings

VALID = {
    "database_url": "postgres://postgres@127.0.0.1:5432/digis",
    "redis_url": "redis://127.0.0.1:6379/0",
}
STRONG = "x" * 40


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(
            ("APP_", "DATABASE_", "REDIS_", "JWT_", "STRIPE_", "MEDIA_", "ALLOWED_", "TOKEN_")
        ):
            monkeypatch.delenv(key)


def test_development_works_with_only_the_two_urls() -> None:
    settings = load_settings(_env_file=None, **VALID)
    assert settings.app_env is AppEnv.DEVELOPMENT
    assert settings.port == 8000
    assert settings.tortoise_db_url.startswith("postgres://")


def test_every_missing_variable_is_listed_in_one_message() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    message = str(error.value)
    assert "DATABASE_URL: is required but not set" in message
    assert "REDIS_URL: is required but not set" in message


def test_production_names_missing_secret_and_malformed_url_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "not a url")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    message = str(error.value)
    assert "JWT_SECRET: must be set in production" in message
    assert "DATABASE_URL:" in message
    assert "STRIPE_SECRET_KEY" in message  # every refused default is listed, not just the first


def test_production_refuses_short_secrets() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(
            _env_file=None,
            app_env="production",
            jwt_secret="short-secret",
            stripe_secret_key=STRONG,
            stripe_webhook_secret=STRONG,
            stripe_connect_webhook_secret=STRONG,
            media_signing_key=STRONG,
            **VALID,
        )
    assert "JWT_SECRET: must be at least 32 bytes in production" in str(error.value)


def test_production_refuses_the_stripe_emulator() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(
            _env_file=None,
            app_env="production",
            jwt_secret=STRONG,
            stripe_secret_key=STRONG,
            stripe_webhook_secret=STRONG,
            stripe_connect_webhook_secret=STRONG,
            media_signing_key=STRONG,
            stripe_api_base="http://127.0.0.1:12111",
            **VALID,
        )
    assert "STRIPE_API_BASE: must be unset in production" in str(error.value)


def test_production_accepts_strong_secrets() -> None:
    settings = load_settings(
        _env_file=None,
        app_env="production",
        jwt_secret=STRONG,
        stripe_secret_key=STRONG,
        stripe_webhook_secret=STRONG,
        stripe_connect_webhook_secret=STRONG,
        media_signing_key=STRONG,
        **VALID,
    )
    assert settings.is_production
    assert settings.json_logs
    assert settings.jwt_secret.get_secret_value() != DEV_JWT_SECRET


def test_lists_and_packages_come_from_plain_environment_strings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://digis.example, https://www.digis.example/")
    monkeypatch.setenv(
        "TOKEN_PACKAGES", '[{"id": "one", "tokens": 10, "price_cents": 100, "label": "10"}]'
    )
    settings = load_settings(_env_file=None, **VALID)
    assert settings.allowed_origins == ["https://digis.example", "https://www.digis.example"]
    assert [p.id for p in settings.token_packages] == ["one"]


def test_invalid_values_are_reported_with_their_names() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, app_env="staging", port="99999", **VALID)
    message = str(error.value)
    assert "APP_ENV:" in message
    assert "PORT:" in message


def test_a_default_rate_limit_must_be_a_rate() -> None:
    assert load_settings(_env_file=None, **VALID).rate_limit_default is None
    assert load_settings(_env_file=None, rate_limit_default="", **VALID).rate_limit_default is None
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, rate_limit_default="3/fortnight", **VALID)
    assert "RATE_LIMIT_DEFAULT: not a rate such as 300/minute: '3/fortnight'" in str(error.value)


def test_the_server_refuses_to_start_and_names_every_problem() -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "APP_ENV": "production",
        "DATABASE_URL": "postgres//broken",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "backend"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "JWT_SECRET" in result.stderr
    assert "DATABASE_URL" in result.stderr
