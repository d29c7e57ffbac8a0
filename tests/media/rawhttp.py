"""A bare HTTP/1.1 client that reads the response while it is still sending the body, as
curl and browsers do: it sees a server's early answer (a 413 mid-upload) which httpx,
writing the whole body before reading, cannot."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes the client managed to send before the answer came

    def json(self) -> Any:
        return json.loads(self.body)


async def post_streaming(
    host: str, port: int, path: str, headers: dict[str, str], chunks: AsyncIterator[bytes]
) -> RawResponse:
    reader, writer = await asyncio.open_connection(host, port)
    sent = [0]
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    chunked = "Content-Length" not in headers
    if chunked:
        head.append("Transfer-Encoding: chunked")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    sending = asyncio.create_task(_send(writer, chunks, sent, chunked=chunked))
    try:
        status, response_headers, body = await asyncio.wait_for(_read_response(reader), 60)
    finally:
        sending.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await sending
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return RawResponse(status, response_headers, body, sent[0])


async def _send(
    writer: asyncio.StreamWriter, chunks: AsyncIterator[bytes], sent: list[int], *, chunked: bool
) -> None:
    try:
        async for chunk in chunks:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk)
            await writer.drain()
            sent[0] += len(chunk)
        if chunked:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except ConnectionError:
        return  # the server answered and hung up: what the test is about


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body
