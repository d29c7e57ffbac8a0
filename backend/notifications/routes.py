"""Notification routes: list, count, mark read, and the live stream."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi

from backend.accounts.auth import authenticated, signed_in_user
from backend.http.openapi import document_errors, document_response
from backend.http.responses import json_model
from backend.http.validation import json_body, query_args
from backend.notifications import service
from backend.notifications.schemas import (
    EXAMPLE_NOTIFICATION,
    MarkReadIn,
    MarkReadOut,
    Notification,
    NotificationPage,
    NotificationQuery,
    UnreadCount,
)
from backend.notifications.stream import KEEP_ALIVE, RETRY, event, serve_stream

bp = Blueprint("notifications", url_prefix="/api")

EXAMPLE_EVENTS = RETRY + event(Notification.model_validate(EXAMPLE_NOTIFICATION)) + KEEP_ALIVE
EVENT_STREAM = {"text/event-stream": {"schema": {"type": "string"}, "example": EXAMPLE_EVENTS}}


@bp.get("/notifications")
@openapi.definition(summary="Your notifications, newest first", tag="notifications")
@document_response(200, NotificationPage, "A page of notifications")
@document_errors([422])
@authenticated()
@query_args(NotificationQuery)
async def list_notifications(request: Request, query: NotificationQuery) -> HTTPResponse:
    page = await service.notifications_page(signed_in_user(request).id, query)
    return json_model(page)


@bp.get("/notifications/unread-count")
@openapi.definition(summary="How many of your notifications are unread", tag="notifications")
@document_response(200, UnreadCount, "The unread count")
@authenticated()
async def unread_count(request: Request) -> HTTPResponse:
    count = await service.unread_count(signed_in_user(request).id)
    return json_model(UnreadCount(count=count))


@bp.post("/notifications/read")
@openapi.definition(
    summary="Mark notifications read: some by id, or all",
    description='Body: `{"ids": [...]}` or `{"all": true}`, exactly one. Ids that are not '
    "yours or already read are left alone.",
    tag="notifications",
)
@document_response(200, MarkReadOut, "How many changed, and how many are still unread")
@document_errors([422])
@authenticated()
@json_body(MarkReadIn)
async def mark_read(request: Request, body: MarkReadIn) -> HTTPResponse:
    result = await service.mark_read(signed_in_user(request).id, body.ids)
    return json_model(result)


@bp.get("/notifications/stream")
@openapi.definition(
    summary="New notifications as they arrive (Server-Sent Events)",
    description="Send the bearer token in the Authorization header (read the stream with "
    "fetch: EventSource cannot send headers). First `retry: 5000`; then each new "
    "notification as `id: <id>`, `event: notification`, `data: <Notification JSON>`; a "
    "`: keep-alive` comment while idle. The stream ends when the access token expires: "
    "reconnect with a fresh one.",
    tag="notifications",
)
@openapi.response(200, EVENT_STREAM, "An event stream")
@document_errors([503])
@authenticated()
async def stream(request: Request) -> None:
    await serve_stream(request)
