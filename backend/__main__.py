"""`python -m backend`: validate the settings, then serve the API."""

from __future__ import annotations

import sys

from sanic import Sanic
from sanic.worker.loader import AppLoader

from backend.serving import serving_app
from backend.settings import Settings, SettingsError, get_settings


def banner(settings: Settings, auto_reload: bool) -> str:
    """One line saying where the API listens and how it runs (outside production, whose
    logs are JSON lines)."""
    workers = "1 worker" if settings.api_workers == 1 else f"{settings.api_workers} workers"
    reload = ", auto-reload" if auto_reload else ""
    return (
        f"Digis API on http://{settings.host}:{settings.port} "
        f"(APP_ENV={settings.app_env.value}, {workers}{reload})"
    )


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
    if not settings.is_production:
        print(banner(settings, auto_reload), flush=True)
    app.prepare(
        host=settings.host,
        port=settings.port,
        workers=settings.api_workers,
        auto_reload=auto_reload,
        access_log=False,
        # Sanic's banner names Sanic's own mode ("production" unless debug), not APP_ENV.
        motd=False,
        single_process=single_process,
    )
    if single_process:
        Sanic.serve_single(primary=app)
    else:
        Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
