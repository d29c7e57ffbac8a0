"""Response headers encoded from the cache are what Sanic itself would send
(backend/http/responses.py)."""

from __future__ import annotations

from sanic import HTTPResponse

from backend.http.responses import ApiResponse


def _headers() -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "X-Request-ID": "abc\r\nSet-Cookie: evil=1\x00",
        "RateLimit": '"default";r=9;t=60',
    }


def test_headers_are_sent_as_sanic_sends_them() -> None:
    ours = ApiResponse(b"{}", headers=_headers(), content_type="application/json")
    sanic = HTTPResponse(b"{}", headers=_headers(), content_type="application/json")
    for _ in range(2):  # the second time from the cache
        assert list(ours.processed_headers) == list(sanic.processed_headers)


def test_a_per_request_value_cannot_split_the_header() -> None:
    sent = dict(ApiResponse(b"{}", headers=_headers()).processed_headers)
    assert sent[b"X-Request-ID"] == b"abcSet-Cookie: evil=1"
    assert b"Set-Cookie" not in sent
