"""Text fields that PostgreSQL, the ledger's descriptions and the web app can all hold.

PostgreSQL refuses NUL in text, and a lone surrogate (`"\\ud800"` in JSON) cannot be
encoded as UTF-8 at all: either would fail deep inside a write. Other control characters
are never wanted in a name or a caption. Annotate request fields with these types so such
input is a 422 naming the field, before anything is stored.

    display_name: SingleLine = Field(min_length=1, max_length=60)
    bio: MultiLine = Field(max_length=2000)
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

SURROGATES = re.compile("[\ud800-\udfff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1, line breaks and tabs included
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # keeps \t \n \r


def encodable(value: str) -> str:
    if SURROGATES.search(value):
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)")
    return value


def single_line(value: str) -> str:
    if CONTROL.search(encodable(value)):
        raise ValueError("must not contain control characters (such as NUL or line breaks)")
    return value


def multi_line(value: str) -> str:
    if CONTROL_BUT_LINES.search(encodable(value)):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    return value


Encodable = Annotated[str, AfterValidator(encodable)]  # any text that can be stored (passwords)
SingleLine = Annotated[str, AfterValidator(single_line)]  # names, handles, search terms
MultiLine = Annotated[str, AfterValidator(multi_line)]  # bios, messages, captions
