from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from loguru import logger

from backend.observability.logging import configure_logging
from tests.foundation.conftest import StartApi


@contextmanager
def captured_logs() -> Iterator[list[dict[str, object]]]:
    lines: list[dict[str, object]] = []

    def sink(message: object) -> None:
        record = message.record  # type: ignore[attr-defined]
        lines.append({"message": record["message"], **record["extra"]})

    handler = logger.add(sink, level="DEBUG")
    yield lines
    logger.remove(handler)


async def test_one_access_line_per_request_with_its_id(start_api: StartApi) -> None:
    client = await start_api()
    with captured_logs() as log_lines:
        await client.get("/api/ping", headers={"X-Request-ID": "log-probe-1"})
    access = [line for line in log_lines if line.get("path") == "/api/ping"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "log-probe-1"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)


async def test_credentials_never_reach_the_logs(start_api: StartApi) -> None:
    client = await start_api()
    headers = {"Authorization": "Bearer top-secret-token", "Cookie": "session=cookie-secret"}
    with captured_logs() as log_lines:
        await client.post(
            "/api/greet", json={"name": "hunter2-password", "times": 9}, headers=headers
        )
        await client.get("/api/boom", headers=headers)
    text = json.dumps(log_lines, default=str)
    for secret in ("top-secret-token", "cookie-secret", "hunter2-password"):
        assert secret not in text


def test_production_logs_are_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(process="api", level="INFO", json_lines=True)
    logger.bind(request_id="json-1").info("hello {}", "world")
    import logging

    logging.getLogger("sanic.root").warning("from the standard library")
    configure_logging(process="api", level="DEBUG", json_lines=False)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert lines[0]["msg"] == "hello world"
    assert lines[0]["request_id"] == "json-1"
    assert lines[0]["level"] == "INFO"
    assert lines[1]["msg"] == "from the standard library"
    assert lines[1]["logger"] == "sanic.root"
