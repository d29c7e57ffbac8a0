"""Streaming multipart upload: the `file` field goes chunk by chunk into storage.

The body is never held whole in memory. Bytes are counted as they arrive (a chunked
upload has no Content-Length), so a file over the limit is a 413 the moment it crosses it,
and the file's first bytes decide its type, so anything but an accepted image is a 415
before the rest is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from sanic import Request

from backend.http.errors import ApiError, PayloadTooLarge, UnsupportedMediaType, field_error
from backend.media import sniff
from backend.media.sniff import ImageFormat
from backend.media.storage import ObjectWriter, Storage

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_FIELD = "file"
# Room for the multipart boundaries and part headers around the file itself.
ENVELOPE_BYTES = 64 * 1024
ACCEPTED = "JPEG, PNG or WebP"


class _Body(Protocol):
    """What Sanic's HTTP/1 and HTTP/3 streams offer a `stream=True` route."""

    async def read(self) -> bytes | None: ...


@dataclass(frozen=True)
class UploadBody:
    """A `stream=True` request's body, as the upload needs it."""

    content_type: str
    content_length: int | None
    stream: _Body

    @classmethod
    def of(cls, request: Request) -> UploadBody:
        declared = request.headers.get("content-length", "")
        return cls(
            content_type=request.headers.get("content-type", ""),
            content_length=int(declared) if declared.isdigit() else None,
            stream=cast(_Body, request.stream),
        )


@dataclass(frozen=True)
class ReceivedFile:
    byte_size: int
    image_format: ImageFormat


@dataclass
class _Parts:
    """Collects the `file` part's data as the (synchronous) parser callbacks hand it over."""

    header_field: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    in_file: bool = False
    file_seen: bool = False
    finished: bool = False
    pending: list[bytes] = field(default_factory=list)

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self.header_field.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self.header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self.in_file = False

    def _header_end(self) -> None:
        if self.header_field.decode("latin-1").lower() == "content-disposition":
            _, options = parse_options_header(bytes(self.header_value))
            # Only the first `file` part counts; any other field is read past and dropped.
            if options.get(b"name") == FILE_FIELD.encode() and not self.file_seen:
                self.in_file = self.file_seen = True
        self.header_field.clear()
        self.header_value.clear()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.pending.append(data[start:end])

    def _part_end(self) -> None:
        self.in_file = False

    def _end(self) -> None:
        self.finished = True

    def take(self) -> list[bytes]:
        taken, self.pending = self.pending, []
        return taken


@dataclass
class _Sink:
    """Counts, sniffs and stores the file's bytes."""

    out: ObjectWriter
    max_bytes: int
    byte_size: int = 0
    head: bytearray = field(default_factory=bytearray)
    image_format: ImageFormat | None = None

    async def write(self, data: bytes) -> None:
        self.byte_size += len(data)
        if self.byte_size > self.max_bytes:
            raise _too_large(self.max_bytes)
        if self.image_format is None:
            self.head.extend(data[: sniff.HEAD_BYTES])
            if len(self.head) >= sniff.HEAD_BYTES:
                self._decide()
        await self.out.write(data)

    def _decide(self) -> None:
        self.image_format = sniff.detect(bytes(self.head))
        if self.image_format is None:
            raise UnsupportedMediaType(f"This file is not a {ACCEPTED} image.")

    def finish(self) -> ImageFormat:
        if self.byte_size == 0:
            raise field_error(FILE_FIELD, "The file is empty.")
        if self.image_format is None:
            self._decide()  # a file shorter than the longest signature
        assert self.image_format is not None
        return self.image_format


async def receive_file(
    body: UploadBody, storage: Storage, key: str, max_bytes: int
) -> ReceivedFile:
    """Store the body's multipart `file` field under `key` (nothing is stored on error)."""
    boundary = _boundary(body.content_type)
    if body.content_length is not None and body.content_length > max_bytes + ENVELOPE_BYTES:
        raise _too_large(max_bytes)
    parts = _Parts()
    parser = _parser(boundary, parts)
    async with storage.writer(key) as out:
        sink = _Sink(out, max_bytes)
        while (chunk := await body.stream.read()) is not None:
            _feed(parser, chunk)
            for data in parts.take():
                await sink.write(data)
        if not parts.finished:
            raise ApiError("The multipart body ended early.", code="malformed_multipart")
        if not parts.file_seen:
            raise field_error(
                FILE_FIELD, f"Attach the image as the multipart field `{FILE_FIELD}`."
            )
        image_format = sink.finish()
    return ReceivedFile(sink.byte_size, image_format)


def _boundary(content_type_header: str) -> bytes:
    content_type, options = parse_options_header(content_type_header)
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType(
            f"Send the image as multipart/form-data, in the field `{FILE_FIELD}`."
        )
    return boundary


def _parser(boundary: bytes, parts: _Parts) -> MultipartParser:
    try:
        return MultipartParser(boundary, parts.callbacks())
    except FormParserError:
        raise ApiError("The multipart boundary is not valid.", code="malformed_multipart") from None


def _feed(parser: MultipartParser, chunk: bytes) -> None:
    try:
        parser.write(chunk)
    except FormParserError:
        raise ApiError("The multipart body is malformed.", code="malformed_multipart") from None


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The file is larger than the {max_bytes / (1024 * 1024):g} MiB limit.",
        details={"max_bytes": max_bytes},
    )
