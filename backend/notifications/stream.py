"""Server-Sent Events: new notifications pushed to the signed-in user's open pages.

The request is authenticated once, by its bearer token (never a cookie or the query
string); afterwards the stream holds only a Redis pub/sub subscription to the user's
channel, no database connection. It sends

    retry: 5000                       first: how long the client waits to reconnect
    id: <id>                          each new notification
    event: notification
    data: <Notification JSON>
    : keep-alive                      a comment every SSE_KEEPALIVE_SECONDS when idle

and ends when the access token expires (the client reconnects with a fresh one) or the
client goes away; the subscription ends with it.
"""

from __future__ import annotations

import time
from typing import Any

from loguru import logger
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError
from sanic import HTTPResponse, Request

from backend.accounts.auth import bearer_token, signed_in_user
from backend.accounts.tokens import AccessTokenVerifier
from backend.http.errors import ServiceUnavailable, Unauthorized
from backend.notifications import live
from backend.notifications.schemas import Notification
from backend.settings import Settings

RETRY = "retry: 5000\n\n"
KEEP_ALIVE = ": keep-alive\n\n"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",  # proxies such as nginx must not buffer the stream
}
CONTENT_TYPE = "text/event-stream"


def event(notification: Notification) -> str:
    return f"id: {notification.id}\nevent: notification\ndata: {notification.model_dump_json()}\n\n"


async def serve_stream(request: Request) -> None:
    """Relay the signed-in user's notifications until the token expires or the client
    leaves (the route has already authenticated the request)."""
    settings: Settings = request.app.ctx.settings
    ends_at = _token_ends_at(request)
    if ends_at <= time.monotonic():  # accepted within the clock-skew leeway, but spent
        raise Unauthorized("The access token has expired.", code="invalid_token")
    pubsub = await _subscribe(request, settings)
    try:
        response = await request.respond(headers=HEADERS, content_type=CONTENT_TYPE)
        assert isinstance(response, HTTPResponse)
        await response.send(RETRY)
        await _relay(pubsub, response, settings.sse_keepalive_seconds, ends_at)
        await response.eof()
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]


def _token_ends_at(request: Request) -> float:
    """When the access token expires, on the monotonic clock."""
    verifier: AccessTokenVerifier = request.app.ctx.token_verifier
    token = bearer_token(request)
    assert token is not None  # the route is @authenticated
    claims = verifier.verify(token)  # cached since authentication: no work, no query
    return time.monotonic() + (claims.expires_at - time.time())


async def _subscribe(request: Request, settings: Settings) -> PubSub:
    """Subscribe before answering, so nothing published after the 200 is missed."""
    redis: Redis = request.app.ctx.redis
    pubsub = redis.pubsub()
    try:
        await pubsub.subscribe(live.channel(settings, signed_in_user(request).id))
    except RedisError as error:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        logger.warning("notification stream unavailable: {}", error)
        raise ServiceUnavailable("Live notifications are unavailable; try again soon.") from None
    return pubsub


async def _relay(
    pubsub: PubSub,
    response: HTTPResponse,
    keepalive_seconds: float,
    ends_at: float,
) -> None:
    next_keepalive = time.monotonic() + keepalive_seconds
    while (now := time.monotonic()) < ends_at:
        if now >= next_keepalive:
            await response.send(KEEP_ALIVE)
            next_keepalive = now + keepalive_seconds
        try:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=min(next_keepalive, ends_at) - now
            )
        except RedisError as error:
            logger.warning("notification stream lost Redis, closing it: {}", error)
            return  # the client reconnects
        if message is not None:
            await _send_notification(response, message)


async def _send_notification(response: HTTPResponse, message: dict[str, Any]) -> None:
    try:
        notification = Notification.model_validate_json(message["data"])
    except ValidationError as error:
        logger.warning("skipping a malformed live notification: {}", error)
        return
    await response.send(event(notification))
