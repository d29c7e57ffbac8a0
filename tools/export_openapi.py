"""Write the API's OpenAPI document, as `/openapi.json` serves it, to a file.

    python -m tools.export_openapi [frontend/src/api/openapi.json]

It starts the app in-process on a loopback socket (nothing is queried, so any well-formed
DATABASE_URL / REDIS_URL will do) and saves the document with sorted keys, so the file only
changes when the API does.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from pathlib import Path

import httpx
from sanic import Sanic

DEFAULT_OUTPUT = Path("frontend/src/api/openapi.json")


async def fetch_document() -> dict[str, object]:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    from backend.app import create_app
    from backend.settings import get_settings

    settings = get_settings().model_copy(update={"log_level": "WARNING", "sentry_dsn": None})
    Sanic.test_mode = True
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    try:
        port = sock.getsockname()[1]
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/openapi.json")
            response.raise_for_status()
            document: dict[str, object] = response.json()
            return document
    finally:
        await server.close()


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    document = asyncio.run(fetch_document())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    print(f"wrote {output} ({len(document.get('paths', {}))} paths)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
