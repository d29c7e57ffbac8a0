"""Signed URLs of protected media, on their own: the expiry's rounding, the signature, and
the settings behind them."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.media import signed
from backend.settings import DEV_MEDIA_SIGNING_KEY, Settings, SettingsError, load_settings

KEY = "protected/" + "ab" * 32 + ".webp"
NOW = 1_800_000_000.0
URLS = {
    "database_url": "postgres://postgres@127.0.0.1:5432/digis",
    "redis_url": "redis://127.0.0.1:6379/0",
}


def _settings(**overrides: object) -> Settings:
    return load_settings(_env_file=None, **URLS, **overrides)


def _query(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return parts.path, int(query["expires"][0]), query["signature"][0]


def test_a_url_lasts_the_ttl_at_least_and_stays_the_same_for_a_fifth_of_it() -> None:
    settings = _settings(media_signed_url_ttl=600)
    path, expires, _ = _query(signed.signed_url(settings, KEY, now=NOW))
    assert path == "/media/protected/" + "ab" * 32 + ".webp"
    assert NOW + 600 <= expires <= NOW + 600 + 120
    assert expires % 120 == 0
    bucket_start = expires - 600 - 120
    same = {signed.signed_url(settings, KEY, now=bucket_start + t) for t in (0.5, 60, 119.9)}
    assert len(same) == 1  # browsers keep using the cached copy
    assert signed.signed_url(settings, KEY, now=bucket_start + 121) not in same


def test_verify_accepts_its_own_urls_and_nothing_else() -> None:
    settings = _settings()
    _, expires, signature = _query(signed.signed_url(settings, KEY, now=NOW))
    verified = signed.verify(settings, KEY, str(expires), signature, now=NOW)
    assert verified.key == KEY
    assert verified.seconds_left == expires - int(NOW)

    with pytest.raises(signed.SignatureExpired):
        signed.verify(settings, KEY, str(expires), signature, now=expires)
    other = "protected/" + "cd" * 32 + ".webp"
    foreign = _settings(media_signing_key=secrets.token_hex(32))
    for case in (
        (settings, other, str(expires), signature),  # another file
        (settings, KEY, str(expires + 1), signature),  # another expiry
        (settings, KEY, str(expires), signature[:-2]),  # cut short
        (settings, KEY, str(expires), None),
        (settings, KEY, None, signature),
        (settings, KEY, "-5", signature),
        (settings, KEY, "9" * 40, signature),
        (settings, KEY, str(expires), "zz" * 32),
        (foreign, KEY, str(expires), signature),  # another deployment's key
    ):
        config, key, expires_text, given = case
        with pytest.raises(signed.InvalidSignature):
            signed.verify(config, key, expires_text, given, now=NOW)


def test_only_protected_keys_are_signed() -> None:
    with pytest.raises(ValueError, match="not a protected object"):
        signed.signed_url(_settings(), "derivatives/" + "ab" * 32 + ".webp")


def test_production_refuses_the_development_signing_key() -> None:
    strong = {
        "jwt_secret": secrets.token_hex(32),
        "stripe_secret_key": "sk_live_" + secrets.token_hex(24),
        "stripe_webhook_secret": "whsec_" + secrets.token_hex(24),
        "stripe_connect_webhook_secret": "whsec_" + secrets.token_hex(24),
    }
    for key, message in (
        (DEV_MEDIA_SIGNING_KEY, "MEDIA_SIGNING_KEY: must be set in production"),
        ("short", "MEDIA_SIGNING_KEY: must be at least 32 bytes in production"),
    ):
        with pytest.raises(SettingsError) as error:
            _settings(app_env="production", media_signing_key=key, **strong)
        assert message in str(error.value)
    with pytest.raises(SettingsError, match="MEDIA_SIGNING_KEY: must be set in production"):
        _settings(app_env="production", **strong)  # unset: the development default
    production = _settings(app_env="production", media_signing_key=secrets.token_hex(32), **strong)
    assert production.media_signing_key.get_secret_value() != DEV_MEDIA_SIGNING_KEY
    # Development works out of the box, with the obviously fake key.
    assert _settings().media_signing_key.get_secret_value() == DEV_MEDIA_SIGNING_KEY


@pytest.mark.parametrize(("ttl", "valid"), [(29, False), (30, True), (3600, True), (3601, False)])
def test_the_ttl_is_bounded(ttl: int, valid: bool) -> None:
    if valid:
        assert _settings(media_signed_url_ttl=ttl).media_signed_url_ttl == ttl
    else:
        with pytest.raises(SettingsError, match="MEDIA_SIGNED_URL_TTL"):
            _settings(media_signed_url_ttl=ttl)
