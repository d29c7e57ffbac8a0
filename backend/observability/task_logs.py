"""Celery's routine lines about housekeeping tasks, at DEBUG.

Beat sends the outbox sweep every few seconds, and Celery logs three INFO lines per run
(beat sends it, the worker receives it, it succeeds): they would bury everything else in
the log. For the tasks named here those three lines are DEBUG; their failures, retries and
own lines keep their level, and every other task is logged as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from celery.app.trace import LOG_RECEIVED, LOG_SUCCESS

BEAT_SENDING = "Scheduler: Sending due task %s (%s)"  # celery.beat.Scheduler.apply_entry
ROUTINE_LINES = {
    "celery.beat": BEAT_SENDING,
    "celery.worker.strategy": LOG_RECEIVED,
    "celery.app.trace": LOG_SUCCESS,
}


class RoutineTaskLines(logging.Filter):
    """Lowers one of Celery's routine lines to DEBUG when it is about a housekeeping task."""

    def __init__(self, message: str, task_names: frozenset[str]) -> None:
        super().__init__()
        self.message, self.task_names = message, task_names

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == self.message and self.task_names.intersection(_strings(record.args)):
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return True


def _strings(args: object) -> Iterable[str]:
    """The string arguments of a record: the task's name is one of them (beat passes the
    entry's and the task's names, the worker a mapping with "name")."""
    values = args.values() if isinstance(args, Mapping) else args
    if not isinstance(values, Iterable):
        return ()
    return (value for value in values if isinstance(value, str))


def quiet_routine_task_lines(task_names: Iterable[str]) -> None:
    """Log Celery's routine lines about `task_names` at DEBUG, in this process and in the
    children it forks."""
    names = frozenset(task_names)
    for logger_name, message in ROUTINE_LINES.items():
        std_logger = logging.getLogger(logger_name)
        for old in [f for f in std_logger.filters if isinstance(f, RoutineTaskLines)]:
            std_logger.removeFilter(old)
        std_logger.addFilter(RoutineTaskLines(message, names))
