"""JSON answers from response models carry their headers as Sanic itself sends them
(backend/http/responses.py)."""

from __future__ import annotations

from pydantic import BaseModel
from sanic import HTTPResponse

from backend.http.responses import json_model


class _Body(BaseModel):
    ok: bool = True


def _headers() -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "X-Request-ID": "abc\r\nSet-Cookie: evil=1\x00",
        "RateLimit": '"default";r=9;t=60',
    }


def _answer() -> HTTPResponse:
    response = json_model(_Body())
    response.headers.update(_headers())
    return response


def test_headers_are_sent_as_sanic_sends_them() -> None:
    ours = _answer()
    sanic = HTTPResponse(b'{"ok":true}', headers=_headers(), content_type="application/json")
    for _ in range(2):
        assert list(ours.processed_headers) == list(sanic.processed_headers)
    assert ours.body == b'{"ok":true}'


def test_a_per_request_value_cannot_split_the_header() -> None:
    sent = dict(_answer().processed_headers)
    assert sent[b"X-Request-ID"] == b"abcSet-Cookie: evil=1"
    assert b"Set-Cookie" not in sent
