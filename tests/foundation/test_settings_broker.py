"""CELERY_BROKER_URL names Redis (the default, REDIS_URL) or RabbitMQ, and nothing else."""

from __future__ import annotations

import os

import pytest

from backend.outbox.broker import celery_config
from backend.settings import SettingsError, load_settings

VALID = {
    "database_url": "postgres://postgres@127.0.0.1:5432/digis",
    "redis_url": "redis://127.0.0.1:6379/0",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("APP_", "DATABASE_", "REDIS_", "CELERY_", "TASK_")):
            monkeypatch.delenv(key)


def test_redis_is_the_default_broker_with_its_visibility_timeout() -> None:
    settings = load_settings(_env_file=None, **VALID)
    assert settings.broker_url == VALID["redis_url"]
    assert settings.broker_is_redis
    options = celery_config(settings)["broker_transport_options"]
    assert options["visibility_timeout"] == settings.celery_visibility_timeout
    assert options["global_keyprefix"] == "digis:celery:"


@pytest.mark.parametrize("url", ["amqp://guest:guest@127.0.0.1:5672//", "amqps://mq.internal/"])
def test_rabbitmq_gets_publisher_confirms_and_no_redis_options(url: str) -> None:
    settings = load_settings(_env_file=None, celery_broker_url=url, **VALID)
    assert not settings.broker_is_redis
    config = celery_config(settings)
    assert config["broker_url"] == url
    assert config["broker_transport_options"]["confirm_publish"] is True
    assert "visibility_timeout" not in config["broker_transport_options"]
    assert config["task_acks_late"]
    assert config["task_reject_on_worker_lost"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:5672/", "sqs://", "amqp:///"])
def test_any_other_broker_url_is_a_settings_error(url: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, celery_broker_url=url, **VALID)
    assert "CELERY_BROKER_URL:" in str(error.value)


def test_the_visibility_timeout_is_checked_only_for_redis() -> None:
    short = {"celery_visibility_timeout": 60, "task_retry_backoff_max": 600}
    with pytest.raises(SettingsError, match="CELERY_VISIBILITY_TIMEOUT"):
        load_settings(_env_file=None, **short, **VALID)
    amqp = "amqp://guest:guest@127.0.0.1:5672//"
    assert not load_settings(
        _env_file=None, celery_broker_url=amqp, **short, **VALID
    ).broker_is_redis


def test_a_queue_prefix_names_every_queue_and_route() -> None:
    settings = load_settings(_env_file=None, celery_queue_prefix="s1.", **VALID)
    config = celery_config(settings)
    assert {q.name for q in config["task_queues"]} == {
        "s1.webhooks", "s1.media", "s1.notifications", "s1.default"
    }  # fmt: skip
    assert config["task_default_queue"] == "s1.default"
    assert config["task_routes"][0]("media.make_thumbnail") == {"queue": "s1.media"}
