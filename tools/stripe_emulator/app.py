"""The Sanic app, and `serve()`: run it on the current event loop (used by `__main__` and tests)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from loguru import logger
from sanic import HTTPResponse, Request, Sanic, json
from sanic.exceptions import MethodNotAllowed, NotFound, SanicException

from tools.stripe_emulator.api import add_api_routes
from tools.stripe_emulator.config import EmulatorConfig
from tools.stripe_emulator.connect import Connect
from tools.stripe_emulator.connect_api import add_connect_api_routes
from tools.stripe_emulator.connect_control import add_connect_control_routes
from tools.stripe_emulator.connect_hosted import add_connect_hosted_routes
from tools.stripe_emulator.control import add_control_routes
from tools.stripe_emulator.emulator import Emulator
from tools.stripe_emulator.errors import StripeError, unrecognized_url
from tools.stripe_emulator.hosted import add_hosted_routes

APP_NAME = "stripe-emulator"


def create_app(config: EmulatorConfig) -> Sanic[Any, Any]:
    """Build the app; `app.ctx.emulator` holds the state (`app.ctx.connect` its Connect part).
    Sanic keeps a registry of app names: creating a second app in one process needs
    `Sanic.test_mode = True`."""
    emulator = Emulator(config)
    app: Sanic[Any, Any] = Sanic(APP_NAME, configure_logging=False)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    connect = Connect(emulator)
    app.ctx.emulator = emulator
    app.ctx.connect = connect
    add_api_routes(app, emulator)
    add_connect_api_routes(app, connect)
    add_hosted_routes(app, emulator)
    add_connect_hosted_routes(app, connect)
    add_control_routes(app, emulator)
    add_connect_control_routes(app, connect)

    @app.exception(StripeError)
    async def stripe_error(request: Request, error: StripeError) -> HTTPResponse:
        logger.info("{} {} -> {} {}", request.method, request.path, error.status, error.message)
        return json(error.body(), status=error.status)

    @app.exception(NotFound, MethodNotAllowed)
    async def unknown_route(request: Request, error: Exception) -> HTTPResponse:
        # Stripe answers 404 "Unrecognized request URL" for unknown paths and wrong methods.
        found = unrecognized_url(request.method, request.path)
        return json(found.body(), status=found.status)

    @app.exception(SanicException)
    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = error.status_code or 500
        kind = "invalid_request_error" if status < 500 else "api_error"
        return json({"error": {"type": kind, "message": str(error)}}, status=status)

    @app.exception(Exception)
    async def crash(request: Request, error: Exception) -> HTTPResponse:
        logger.opt(exception=error).error("{} {} crashed", request.method, request.path)
        body = {"error": {"type": "api_error", "message": f"Emulator error: {error!r}"}}
        return json(body, status=500)

    @app.before_server_start
    async def start(app: Sanic[Any, Any]) -> None:
        emulator.start()

    @app.after_server_stop
    async def stop(app: Sanic[Any, Any]) -> None:
        await emulator.close()

    return app


@dataclass(frozen=True)
class Running:
    config: EmulatorConfig  # with the port actually bound
    emulator: Emulator

    @property
    def api_base(self) -> str:
        """What to pass as the SDK's `base_addresses["api"]`."""
        host = self.config.host
        if host in ("0.0.0.0", "::", ""):  # a wildcard bind is reached over loopback
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.config.port}"


@asynccontextmanager
async def serve(config: EmulatorConfig) -> AsyncIterator[Running]:
    """Serve the emulator on the running loop until the block exits. Port 0 picks a free port;
    the hosted-page URLs then use it too (unless `public_url` is set)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError:
        sock.close()
        raise
    bound = replace(config, port=sock.getsockname()[1])
    app = create_app(bound)
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield Running(bound, app.ctx.emulator)
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
