"""STRIPE_API_BASE in production: only a test-mode key and an emulator on this machine (the
production smoke); a live key, or any other address, is refused."""

from __future__ import annotations

import os
import secrets

import pytest

from backend.settings import Settings, SettingsError, load_settings

URLS = {
    "database_url": "postgres://postgres@127.0.0.1:5432/digis",
    "redis_url": "redis://127.0.0.1:6379/0",
}
TEST_KEY = "sk_test_" + secrets.token_hex(32)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("APP_", "DATABASE_", "REDIS_", "JWT_", "STRIPE_")):
            monkeypatch.delenv(key)


def production(stripe_secret_key: str, stripe_api_base: str) -> Settings:
    return load_settings(
        _env_file=None,
        app_env="production",
        jwt_secret=secrets.token_hex(32),
        stripe_secret_key=stripe_secret_key,
        stripe_webhook_secret="whsec_" + secrets.token_hex(32),
        stripe_connect_webhook_secret="whsec_" + secrets.token_hex(32),
        media_signing_key=secrets.token_hex(32),
        stripe_api_base=stripe_api_base,
        **URLS,
    )


@pytest.mark.parametrize(
    "base",
    [
        "http://127.0.0.1:12111",
        "http://127.8.0.1:40000",
        "http://[::1]:12111",
        "http://localhost:9",
    ],
)
def test_a_test_key_may_use_an_emulator_on_this_machine(base: str) -> None:
    settings = production(TEST_KEY, base)
    assert str(settings.stripe_api_base).startswith(base)


@pytest.mark.parametrize("prefix", ["sk_live_", "rk_live_", "rk_test_", ""])
def test_any_other_key_is_refused_even_on_loopback(prefix: str) -> None:
    with pytest.raises(SettingsError) as error:
        production(prefix + secrets.token_hex(32), "http://127.0.0.1:12111")
    assert "STRIPE_API_BASE: must be unset in production" in str(error.value)


@pytest.mark.parametrize(
    "base",
    [
        "http://10.0.0.5:12111",
        "http://stripe-emulator:12111",
        "http://127.0.0.1.nip.io:12111",
        "https://localhost.example.com",
    ],
)
def test_a_test_key_is_refused_with_an_address_off_this_machine(base: str) -> None:
    with pytest.raises(SettingsError) as error:
        production(TEST_KEY, base)
    assert "allowed only with a sk_test_... key and a loopback host" in str(error.value)


def test_outside_production_any_address_is_accepted() -> None:
    settings = load_settings(
        _env_file=None, app_env="test", stripe_api_base="http://stripe-emulator:12111", **URLS
    )
    assert settings.stripe_api_base is not None
