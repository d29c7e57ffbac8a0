from __future__ import annotations

import pytest

from backend.http.errors import ValidationFailed
from backend.http.pagination import PageQuery, decode_cursor, encode_cursor


def test_cursors_round_trip() -> None:
    cursor = encode_cursor("2026-11-24T10:00:00+00:00", 42)
    assert decode_cursor(cursor, 2) == ["2026-11-24T10:00:00+00:00", 42]
    assert decode_cursor(None, 2) is None


@pytest.mark.parametrize(
    "bad", ["", "!!!", "bm90IGpzb24", encode_cursor(1), encode_cursor({"a": 1})]
)
def test_bad_cursors_are_422(bad: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        decode_cursor(bad, 2)
    assert error.value.details["fields"][0]["field"] == "cursor"


def test_limit_bounds() -> None:
    assert PageQuery().limit == 20
    with pytest.raises(ValueError, match="less than or equal to 100"):
        PageQuery(limit=101)
