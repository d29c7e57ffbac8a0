from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx
import pytest
from loguru import logger

from backend.observability.logging import configure_logging
from tests.foundation.conftest import StartApi
from tests.support.waiting import eventually


@contextmanager
def captured_logs() -> Iterator[list[dict[str, object]]]:
    lines: list[dict[str, object]] = []

    def sink(message: object) -> None:
        record = message.record  # type: ignore[attr-defined]
        lines.append({"message": record["message"], **record["extra"]})

    handler = logger.add(sink, level="DEBUG")
    yield lines
    logger.remove(handler)


def _access_lines(log_lines: list[dict[str, object]], path: str) -> list[dict[str, object]]:
    """The access lines for `path` (written before the response leaves)."""
    return [line for line in log_lines if line.get("path") == path]


async def test_one_access_line_per_request_with_its_id(start_api: StartApi) -> None:
    client = await start_api()
    with captured_logs() as log_lines:
        await client.get("/api/ping", headers={"X-Request-ID": "log-probe-1"})
        access = _access_lines(log_lines, "/api/ping")
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "log-probe-1"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["message"] == f"GET /api/ping 200 {line['duration_ms']}ms"


async def test_production_access_lines_are_json_with_the_request_fields(
    start_api: StartApi, capsys: pytest.CaptureFixture[str]
) -> None:
    client = await start_api()
    configure_logging(process="api", level="INFO", json_lines=True)
    try:
        await client.get("/api/ping", headers={"X-Request-ID": "json-probe-1"})
        await client.get("/health/live")
    finally:
        configure_logging(process="api", level="DEBUG", json_lines=False)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    access = [line for line in lines if line.get("logger") == "backend.access"]
    assert [line["path"] for line in access] == ["/api/ping"]  # health checks are not logged
    line = access[0]
    assert line["request_id"] == "json-probe-1"
    assert (line["level"], line["process"], line["method"], line["status"]) == (
        "INFO", "api", "GET", 200,
    )  # fmt: skip
    assert line["msg"] == f"GET /api/ping 200 {line['duration_ms']}ms"
    assert datetime.fromisoformat(line["ts"]).tzinfo is not None


async def test_credentials_never_reach_the_logs(start_api: StartApi) -> None:
    client = await start_api()
    headers = {"Authorization": "Bearer top-secret-token", "Cookie": "session=cookie-secret"}
    with captured_logs() as log_lines:
        await client.post(
            "/api/greet", json={"name": "hunter2-password", "times": 9}, headers=headers
        )
        await client.get("/api/boom", headers=headers)
        assert _access_lines(log_lines, "/api/boom")
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


async def test_a_request_the_client_abandons_is_logged_as_such_not_as_an_error(
    start_api: StartApi,
) -> None:
    client = await start_api()
    with captured_logs() as log_lines:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/api/slow", timeout=0.3)
        # The server notices the client has gone after the client does.
        access = await eventually(lambda: _async(_access_lines(log_lines, "/api/slow")))
    assert [line["status"] for line in access] == [499]
    assert not [line for line in log_lines if "unhandled error" in str(line["message"])]


async def _async(value: list[dict[str, object]]) -> list[dict[str, object]]:
    return value
