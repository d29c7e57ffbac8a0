"""The async runtime of a worker process: one event loop, one Tortoise pool, for its life.

Tasks are async functions calling the same services as the API. Each worker process
(a prefork child, or the process itself with the solo pool) lazily creates its loop and
initialises Tortoise on first use, after the fork, and closes both at shutdown.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any, TypeVar

from backend import db
from backend.outbox import publisher
from backend.outbox.publisher import Publisher
from backend.settings import get_settings

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_owner_pid: int | None = None


def loop() -> asyncio.AbstractEventLoop:
    """This process's loop, created (with the database pool) on first use."""
    global _loop, _owner_pid  # one loop per process by design
    if _loop is None or _owner_pid != os.getpid():
        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
        _owner_pid = os.getpid()
        settings = get_settings()
        _loop.run_until_complete(db.init_db(settings, application_name="digis-worker"))
        publisher.install(Publisher(settings))
    return _loop


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine`, then let the jobs it enqueued finish being published.

    The loop only turns while `run` runs: a publication still in flight when the job
    returned would stop half-way, its outbox UPDATE holding row locks until the next job."""
    running = loop()
    try:
        return running.run_until_complete(coroutine)
    finally:
        active = publisher.current()
        if active is not None:
            running.run_until_complete(active.drain())


def shutdown() -> None:
    """Close the pool and the loop of this process, if it ever opened them."""
    global _loop
    if _loop is None or _owner_pid != os.getpid():
        return
    active = publisher.current()
    if active is not None:
        _loop.run_until_complete(active.drain())
        active.close()
        publisher.install(None)
    _loop.run_until_complete(db.close_db())
    _loop.close()
    _loop = None
