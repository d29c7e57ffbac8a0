"""The real API served over loopback HTTP inside the test's event loop."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx

from backend.app import create_app
from backend.http.sanic_types import App
from backend.settings import Settings


@asynccontextmanager
async def serve(
    settings: Settings,
    routes: Callable[[App], None] | None = None,
    *,
    sock: socket.socket | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """Start `create_app(settings)` (plus any test-only `routes`) on `sock`, or a free port,
    and yield a client pointed at it."""

    def build() -> App:
        app = create_app(settings)
        if routes is not None:
            routes(app)
        return app

    async with served(build, sock=sock) as client:
        yield client


@asynccontextmanager
async def served(
    build: Callable[[], App], *, sock: socket.socket | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Build an app and run its whole server lifecycle, listeners included, around a
    client for it."""
    app = build()
    if sock is None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    port = sock.getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def with_overrides(settings: Settings, **overrides: object) -> Settings:
    """A validated copy of `settings` with some values changed."""
    return Settings.model_validate({**settings.model_dump(), **overrides})
