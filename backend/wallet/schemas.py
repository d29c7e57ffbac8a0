"""What the wallet and tip routes accept and answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.accounts.schemas import HANDLE_PATTERN
from backend.http.pagination import Page
from backend.wallet.models import EntryKind

MAX_TIP = 1_000_000


class WalletOut(BaseModel):
    balance: int = Field(description="Tokens; negative after a refund or dispute of spent tokens")


class EntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    amount: int = Field(description="Signed: positive in, negative out")
    kind: EntryKind
    created_at: datetime
    description: str
    reference: str = Field(description="The purchase or tip this entry belongs to")


class EntryPage(Page[EntryOut]):
    """A page of ledger entries, newest first."""


class TipIn(BaseModel):
    creator: str = Field(pattern=HANDLE_PATTERN, description="The creator's handle")
    amount: int = Field(ge=1, le=MAX_TIP, description="Tokens")
    message: str | None = Field(default=None, max_length=280)

    @field_validator("creator")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("message")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


class TipOut(BaseModel):
    tip_id: uuid.UUID
    creator: str
    amount: int
    balance: int = Field(description="Your balance after the tip")
