"""Reading a Server-Sent Events stream the way the web app does (fetch, not EventSource)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

STREAM = "/api/notifications/stream"


class EventStream:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def block(self, within: float = 15) -> list[str]:
        """The next block of lines (up to a blank line); [] when the stream has ended."""
        return await asyncio.wait_for(self._block(), within)

    async def _block(self) -> list[str]:
        lines: list[str] = []
        async for line in self._lines:
            if line == "":
                if lines:
                    return lines
                continue
            lines.append(line)
        return lines

    async def notification(self, within: float = 15) -> dict[str, Any]:
        """The next notification event's data, skipping keep-alives."""
        while True:
            block = await self.block(within)
            assert block, "the stream ended"
            if block[0].startswith(":"):
                continue
            assert block[1] == "event: notification", block
            assert block[0].startswith("id: "), block
            data: dict[str, Any] = json.loads(block[2].removeprefix("data: "))
            assert block[0] == f"id: {data['id']}"
            return data


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> AsyncIterator[EventStream]:
    async with client.stream("GET", STREAM, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        yield EventStream(response)
