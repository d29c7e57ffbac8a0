"""What the feed answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from backend.creators.schemas import EXAMPLE_CREATOR, CreatorSummary
from backend.http.openapi import EXAMPLE_CURSOR
from backend.http.pagination import Page
from backend.media.schemas import EXAMPLE_MEDIA, MediaOut

EXAMPLE_ITEM: dict[str, Any] = {"media": EXAMPLE_MEDIA, "creator": EXAMPLE_CREATOR}


class FeedItem(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ITEM]})

    media: MediaOut
    creator: CreatorSummary


class FeedPage(Page[FeedItem]):
    """A page of the feed, newest media first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_ITEM], "next_cursor": EXAMPLE_CURSOR}]}
    )
