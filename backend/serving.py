"""The API as `python -m backend` serves it, built in each worker process.

A module of its own, not `backend/__main__.py`: Sanic sends the factory to the worker
processes it spawns (several workers, or the reloader) by reference, and a function of a
`__main__` module cannot be found again in a spawned process.
"""

from __future__ import annotations

import gc

from backend.http.sanic_types import App


def serving_app() -> App:
    from backend.app import create_app  # after the settings are validated

    app = create_app()
    app.after_server_start(exempt_startup_objects_from_gc)
    return app


async def exempt_startup_objects_from_gc(app: App) -> None:
    """Keep what start-up built (modules, routes, schemas, pools: it lives as long as the
    process) out of the garbage collector's full passes. Under load, a full pass over it
    held the event loop for 60 to 70 ms, every request in flight with it. What is frozen
    is never collected, so the garbage is collected first."""
    gc.collect()
    gc.freeze()
