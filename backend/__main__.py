"""`python -m backend`: validate the settings, then serve the API."""

from __future__ import annotations

import gc
import sys

from sanic import Sanic
from sanic.worker.loader import AppLoader

from backend.http.sanic_types import App
from backend.settings import SettingsError, get_settings


def main() -> None:
    try:
        settings = get_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
    loader = AppLoader(factory=serving_app)
    app = loader.load()
    auto_reload = settings.is_development and "--reload" in sys.argv
    # One worker and no reloader: serve in this process rather than beside a manager
    # process that would hold a second copy of the app's memory for nothing.
    single_process = settings.api_workers == 1 and not auto_reload
    app.prepare(
        host=settings.host,
        port=settings.port,
        workers=settings.api_workers,
        auto_reload=auto_reload,
        access_log=False,
        motd=settings.is_development,
        single_process=single_process,
    )
    if single_process:
        Sanic.serve_single(primary=app)
    else:
        Sanic.serve(primary=app, app_loader=loader)


def serving_app() -> App:
    """The API as this command serves it, in each worker process."""
    from backend.app import create_app

    app = create_app()
    app.after_server_start(exempt_startup_objects_from_gc)
    return app


async def exempt_startup_objects_from_gc(app: App) -> None:
    """Keep what start-up built (modules, routes, schemas, pools: it lives as long as the
    process) out of the garbage collector's full passes. Under load, a full pass over it
    held the event loop for 60 to 70 ms, every request in flight with it."""
    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    main()
