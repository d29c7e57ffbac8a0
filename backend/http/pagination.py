"""Opaque cursor pagination (keyset, so the order is stable under concurrent inserts).

    query: PageQuery           -> ?cursor=&limit= (limit 1..100, default 20)
    after = decode_cursor(query.cursor, 2)        # e.g. [created_at iso, id] of the last row
    ...filter rows strictly after it in the listing's order, fetch limit + 1...
    return Page.of(items, next_cursor=encode_cursor(...) if more else None)

A cursor is base64url JSON the client must treat as opaque; a bad one is a 422.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from backend.http.errors import ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=500, description="From next_cursor")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """The values `encode_cursor` packed, or None for the first page; 422 when malformed."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise _invalid_cursor()
    return values


def encode_time_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    """The cursor after a row of a newest-first listing ordered by (created_at, id)."""
    return encode_cursor(created_at.isoformat(), str(row_id))


def decode_time_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """What `encode_time_cursor` packed, or None for the first page; 422 when malformed."""
    values = decode_cursor(cursor, 2)
    if values is None:
        return None
    try:
        created_at, row_id = datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except ValueError:
        created_at = None
    if created_at is None or created_at.tzinfo is None:
        raise _invalid_cursor()
    return created_at, row_id


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed(
        "The cursor is not valid; start again from the first page.",
        details={"fields": [{"field": "cursor", "message": "invalid cursor", "type": "cursor"}]},
    )
