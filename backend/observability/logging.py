"""Loguru for every process: JSON lines in production, readable colour in development.

The standard-library loggers of Sanic, Tortoise and Celery are routed into loguru, and every
record carries the request id (and task name and id in the worker) from the context.

Every line is written and flushed when it is logged, in every process: the API, the CLI,
Celery's parent and beat, and the prefork children, which inherit the sink through `fork()`
(a thread would not follow them). A process killed right after logging a line, SIGKILL
included, still has that line in its log.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson
from loguru import logger

from backend.observability.context import (
    request_id_var,
    task_id_var,
    task_name_var,
    user_id_var,
)

if TYPE_CHECKING:
    from loguru import Message, Record

ROUTED_LOGGERS = ("sanic", "tortoise", "celery", "kombu", "aerich", "asyncio", "stripe")
QUIET_LOGGERS = {"sanic.access": logging.WARNING, "tortoise.db_client": logging.INFO}

# Fields the readable format already shows (or that would only be noise there).
HIDDEN_IN_DEV = frozenset(
    {"process", "request_id", "task", "task_name", "task_id", "fields", "logger_name"}
    | {"method", "path", "status", "duration_ms"}
)
DEV_FORMAT = (
    "<green>{time:HH:mm:ss.SSS}</green> <level>{level: <7}</level> "
    "<cyan>{extra[process]}</cyan> <magenta>{extra[request_id]}</magenta> "
    "{extra[task]}<level>{message}</level>{extra[fields]}"
)


class InterceptHandler(logging.Handler):
    """Send standard-library log records to loguru, keeping their level and origin."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        frame, depth = logging.currentframe(), 2
        while frame is not None and frame.f_code.co_filename == logging.__file__:
            frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
        logger.opt(depth=depth, exception=record.exc_info).bind(logger_name=record.name).log(
            level, record.getMessage()
        )


def _add_context(record: Record) -> None:
    extra = record["extra"]
    extra.setdefault("request_id", request_id_var.get() or "-")
    user_id = user_id_var.get()
    if user_id and "user_id" not in extra:
        extra["user_id"] = user_id
    task_name = task_name_var.get()
    if task_name:
        extra.setdefault("task_name", task_name)
        extra.setdefault("task_id", task_id_var.get())


def _dev_extra(record: Record) -> None:
    extra = record["extra"]
    task = extra.get("task_name")
    extra["task"] = f"[{task} {extra.get('task_id')}] " if task else ""
    shown = {key: value for key, value in extra.items() if key not in HIDDEN_IN_DEV}
    extra["fields"] = " " + " ".join(f"{k}={v}" for k, v in shown.items()) if shown else ""


@dataclass
class JsonOutput:
    """Whether this process logs JSON lines, and the process name they carry."""

    enabled: bool = False
    process: str = "-"


json_output = JsonOutput()
JSON_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def encode_json_line(line: Mapping[str, Any]) -> str:
    """One line of JSON, newline included; what JSON cannot hold is written as its str()."""
    try:
        return orjson.dumps(line, default=str, option=JSON_OPTIONS).decode()
    except orjson.JSONEncodeError:  # an int wider than 64 bits, say: slower, never lost
        return json.dumps(line, default=str) + "\n"


def write_json_line(line: Mapping[str, Any]) -> None:
    """Write one log line to stdout and flush it: it is in the log when this returns."""
    stdout = sys.stdout
    stdout.write(encode_json_line(line))
    stdout.flush()


def json_line(
    ts: datetime, level: str, message: str, logger_name: str | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """One line of the JSON log: what every line starts with, then its own fields."""
    return {"ts": ts.isoformat(), "level": level, "msg": message, "logger": logger_name, **fields}


def _json_sink(message: Message) -> None:
    record = message.record
    extra = record["extra"]
    fields = {k: v for k, v in extra.items() if k != "logger_name"}
    logger_name = extra.get("logger_name", record["name"])
    line = json_line(record["time"], record["level"].name, record["message"], logger_name, fields)
    error = record["exception"]
    if error is not None and error.type is not None:
        line["exception"] = f"{error.type.__name__}: {error.value}"
        line["traceback"] = "".join(
            traceback.format_exception(error.type, error.value, error.traceback)
        )
    write_json_line(line)


def configure_logging(*, process: str, level: str = "INFO", json_lines: bool = False) -> None:
    """Install loguru as the one log pipeline of this process."""
    logger.remove()
    logger.configure(extra={"process": process}, patcher=_add_context)
    json_output.enabled, json_output.process = json_lines, process
    if json_lines:
        logger.add(_json_sink, level=level, format="{message}")
    else:

        def dev_patcher(record: Record) -> None:
            _add_context(record)
            _dev_extra(record)

        logger.configure(patcher=dev_patcher)
        logger.add(sys.stderr, level=level, format=DEV_FORMAT, colorize=None, backtrace=False)
    logging.basicConfig(handlers=[InterceptHandler()], level=0, force=True)
    for name in ROUTED_LOGGERS:
        std_logger = logging.getLogger(name)
        std_logger.handlers = [InterceptHandler()]
        std_logger.propagate = False
    for name, std_level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(std_level)
