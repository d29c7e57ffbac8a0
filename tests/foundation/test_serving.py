"""`python -m backend` serves an app whose start-up objects stay out of the garbage
collector's full passes (backend/__main__.py)."""

from __future__ import annotations

import gc
import socket

import pytest
from sanic import Sanic

from backend.__main__ import serving_app


@pytest.mark.usefixtures("database")
async def test_once_started_the_served_app_has_frozen_what_start_up_built() -> None:
    Sanic.test_mode = True
    app = serving_app()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    assert gc.get_freeze_count() == 0
    try:
        await server.startup()
        await server.before_start()
        await server.after_start()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        await server.before_stop()
        await server.close()
        await server.after_stop()
