"""JSON answers from response models, serialised by pydantic in one pass, with headers
whose constant values are sanitised and encoded once per process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from sanic import HTTPResponse
from sanic.helpers import has_message_body

# Headers that carry one of a few values for the life of the process. Sanic sanitises and
# encodes every header of every answer (about a microsecond each); an API answer carries
# half a dozen of these.
CONSTANT_HEADERS = frozenset({
    "content-type", "X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy",
    "Strict-Transport-Security", "RateLimit-Policy", "Cache-Control", "Vary",
})  # fmt: skip
MAX_ENCODED = 256  # bounds the cache should a "constant" header ever vary per request
_encoded: dict[tuple[str, str], tuple[bytes, bytes]] = {}


def encoded_header(name: str, value: Any) -> tuple[bytes, bytes]:
    """The header as Sanic sends it: CR, LF and NUL removed, then encoded."""
    if not isinstance(value, str):
        value = f"{value}"
    key = (name, value)
    pair = _encoded.get(key)
    if pair is None:
        pair = (
            _sanitised(name).encode("ascii"),
            _sanitised(value).encode(errors="surrogateescape"),
        )
        if name in CONSTANT_HEADERS and len(_encoded) < MAX_ENCODED:
            _encoded[key] = pair
    return pair


def _sanitised(text: str) -> str:
    """Sanic's sanitising (CR, LF and NUL removed); a search finds none far faster than
    `str.translate` copies the text."""
    if "\r" in text or "\n" in text or "\x00" in text:
        return HTTPResponse._sanitize_header_value(text)
    return text


class ApiResponse(HTTPResponse):
    """Sanic's response, with constant headers encoded from the cache above."""

    __slots__ = ()

    @property
    def processed_headers(self) -> Iterator[tuple[bytes, bytes]]:
        if has_message_body(self.status):
            self.headers.setdefault("content-type", self.content_type)
        return (encoded_header(name, value) for name, value in self.headers.items())


def json_model(model: BaseModel, status: int = 200) -> HTTPResponse:
    """`model` as the JSON body: straight to bytes, with no dict or second encoder between."""
    return ApiResponse(model.model_dump_json(), status=status, content_type="application/json")
