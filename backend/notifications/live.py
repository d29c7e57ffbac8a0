"""Live delivery: new notifications are published on a per-user Redis channel, which the
API's Server-Sent Events stream relays to the user's open pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

from redis.asyncio import Redis

from backend.settings import Settings, get_settings

_client: Redis | None = None


def channel(settings: Settings, user_id: uuid.UUID | str) -> str:
    return settings.redis_key("notifications", str(user_id))


def _redis() -> Redis:
    """One client per process; created lazily so it belongs to the running event loop."""
    global _client  # one publisher connection per process
    if _client is None:
        _client = Redis.from_url(str(get_settings().redis_url), socket_timeout=2)
    return _client


async def publish(user_id: uuid.UUID, payload: dict[str, Any]) -> None:
    await _redis().publish(channel(get_settings(), user_id), json.dumps(payload, default=str))
