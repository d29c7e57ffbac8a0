"""Choosing the storage and the public base by settings, checked at start-up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from backend.media import storage
from backend.media.s3 import S3Storage
from backend.media.schemas import public_url
from backend.media.storage import LocalStorage, derivative_key, original_key
from backend.settings import Settings, SettingsError, get_settings, load_settings
from tests.support.s3 import S3Target
from tests.support.server import serve, with_overrides

BASE = {
    "database_url": "postgres://postgres@127.0.0.1:5432/digis",
    "redis_url": "redis://127.0.0.1:6379/0",
}
MEDIA_VARIABLES = (
    "MEDIA_STORAGE",
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_PREFIX",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_PUBLIC_URL",
)


@pytest.fixture
def clean_media_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in MEDIA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    get_settings.cache_clear()


def problems(**values: str) -> dict[str, str]:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, **BASE, **values)
    return dict(error.value.problems)


@pytest.mark.usefixtures("clean_media_env")
def test_local_files_are_the_default() -> None:
    settings = load_settings(_env_file=None, **BASE)
    assert isinstance(storage.storage_for(settings), LocalStorage)
    assert settings.media_public_base is None


@pytest.mark.usefixtures("clean_media_env")
def test_every_media_problem_is_listed_at_once() -> None:
    found = problems(
        media_storage="s3",
        media_s3_prefix="a//b",
        media_s3_region="Europe West",
        media_s3_endpoint_url="minio:9000",
        media_public_url="https://cdn.example.com/media?v=1",
    )
    assert found["MEDIA_S3_BUCKET"] == "is required when MEDIA_STORAGE=s3"
    assert set(found) == {
        "MEDIA_S3_BUCKET",
        "MEDIA_S3_PREFIX",
        "MEDIA_S3_REGION",
        "MEDIA_S3_ENDPOINT_URL",
        "MEDIA_PUBLIC_URL",
    }
    assert "MEDIA_STORAGE" in problems(media_storage="nfs")
    assert "MEDIA_S3_BUCKET" in problems(media_storage="s3", media_s3_bucket="Not_A_Bucket")


@pytest.mark.usefixtures("clean_media_env")
def test_production_wants_an_https_public_base() -> None:
    found = problems(app_env="production", media_public_url="http://cdn.example.com")
    assert found["MEDIA_PUBLIC_URL"] == "must be https in production (the site's pages are)"


@pytest.mark.usefixtures("clean_media_env")
def test_empty_values_mean_unset_and_prefixes_lose_their_slashes() -> None:
    settings = load_settings(
        _env_file=None,
        **BASE,
        media_storage="s3",
        media_s3_bucket="digis-media",
        media_s3_prefix="/staging/media/",
        media_s3_endpoint_url="",
        media_s3_region=" ",
        media_public_url="",
    )
    assert settings.media_s3_prefix == "staging/media"
    assert settings.media_s3_endpoint_url is None
    assert settings.media_s3_region is None
    assert settings.media_public_url is None


@pytest.mark.usefixtures("database")
def test_thumbnail_urls_follow_the_public_base(clean_media_env: pytest.MonkeyPatch) -> None:
    key = derivative_key("ab" * 32, "webp")
    get_settings.cache_clear()
    assert public_url(key) == f"/media/{'ab' * 32}.webp"

    clean_media_env.setenv("MEDIA_PUBLIC_URL", "https://cdn.example.com/digis/")
    get_settings.cache_clear()
    assert public_url(key) == f"https://cdn.example.com/digis/{'ab' * 32}.webp"
    with pytest.raises(ValueError, match="not a public object"):
        public_url(original_key(uuid.uuid4()))


async def test_pages_may_show_images_from_the_public_base(settings: Settings) -> None:
    cdn = with_overrides(settings, media_public_url="https://cdn.example.com:8443/digis")
    async with serve(cdn) as client:
        page = await client.get("/creators/ada")
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: blob: https://cdn.example.com:8443;" in policy


async def test_s3_storage_is_built_from_the_settings(
    settings: Settings, s3: S3Target, s3_prefix: str
) -> None:
    prefix = f"{s3_prefix}/from-settings"
    configured = with_overrides(
        settings,
        media_storage="s3",
        media_s3_bucket=s3.bucket,
        media_s3_prefix=prefix,
        media_s3_endpoint_url=s3.endpoint,
        media_s3_region=s3.region,
    )
    store = storage.storage_for(configured)
    assert isinstance(store, S3Storage)
    assert store is storage.storage_for(configured)  # one client (connection pool) per process
    key = original_key(uuid.uuid4())
    await store.put(key, b"through the settings")
    assert s3.keys(prefix) == [key]
    url = await store.presigned_url(key, timedelta(minutes=1))
    assert url is not None
    async with httpx.AsyncClient() as anonymous:
        assert (await anonymous.get(url)).content == b"through the settings"
