"""What the feed answers."""

from __future__ import annotations

from pydantic import BaseModel

from backend.creators.schemas import CreatorSummary
from backend.http.pagination import Page
from backend.media.schemas import MediaOut


class FeedItem(BaseModel):
    media: MediaOut
    creator: CreatorSummary


class FeedPage(Page[FeedItem]):
    """A page of the feed, newest media first."""
