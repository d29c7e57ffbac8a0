"""What the wallet and tip routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.accounts.schemas import HANDLE_PATTERN
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page
from backend.http.text import MultiLine
from backend.wallet.models import EntryKind

MAX_TIP = 1_000_000

EXAMPLE_TIP_ID = "4a7d2e9c-3b1f-4d6a-8e5c-9f0b1a2c3d4e"
EXAMPLE_ENTRIES: list[Any] = [
    {
        "id": 1017,
        "amount": -50,
        "kind": "tip_sent",
        "created_at": "2025-03-02T15:19:58Z",
        "description": "Tip to @ada",
        "reference": EXAMPLE_TIP_ID,
    },
    {
        "id": 1002,
        "amount": 550,
        "kind": "purchase",
        "created_at": "2025-03-01T10:01:12Z",
        "description": "Bought 550 tokens",
        "reference": "1b9e4f2a-7c3d-4e8f-a5b6-0c2d9e7f1a83",
    },
]


class WalletOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"balance": 500}]})

    balance: int = Field(description="Tokens; negative after a refund or dispute of spent tokens")


class EntryOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [EXAMPLE_ENTRIES[0]]}
    )

    id: int
    amount: int = Field(description="Signed: positive in, negative out")
    kind: EntryKind
    created_at: datetime
    description: str
    reference: str = Field(description="The purchase or tip this entry belongs to")


class EntryPage(Page[EntryOut]):
    """A page of ledger entries, newest first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": EXAMPLE_ENTRIES, "next_cursor": EXAMPLE_CURSOR}]}
    )


class TipIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"creator": "ada", "amount": 50, "message": "Loved the engine series!"}]
        }
    )

    creator: str = Field(pattern=HANDLE_PATTERN, description="The creator's handle")
    amount: int = Field(ge=1, le=MAX_TIP, description="Tokens")
    message: MultiLine | None = Field(default=None, max_length=280)

    @field_validator("creator")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("message")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


class TipOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"tip_id": EXAMPLE_TIP_ID, "creator": "ada", "amount": 50, "balance": 500}]
        }
    )

    tip_id: uuid.UUID
    creator: str
    amount: int
    balance: int = Field(description="Your balance after the tip")
