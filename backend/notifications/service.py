"""Notifications: the one function every domain's worker job calls to tell a user something.

    await notify(creator_id, "follow", {"follower": {...}}, dedupe_key=f"follow:...")

The notice is stored (insert-or-nothing on `dedupe_key`, so a job that runs twice notifies
once), then pushed to the user's open pages. Call it from worker jobs only.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from loguru import logger
from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend.http.errors import field_error
from backend.http.pagination import decode_cursor, encode_cursor
from backend.notifications import live, schemas
from backend.notifications.models import Notification
from backend.notifications.schemas import MAX_ID, MarkReadOut, NotificationPage, NotificationQuery
from backend.outbox.transaction import Transaction


def as_dict(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "kind": notification.kind,
        "data": notification.data,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


async def notify(
    recipient_id: uuid.UUID,
    kind: str,
    data: dict[str, Any],
    *,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Store a notice and push it live; None when `dedupe_key` was already used."""
    try:
        async with in_transaction():
            notification = await Notification.create(
                recipient_id=recipient_id, kind=kind, data=data, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    await _push(recipient_id, as_dict(notification))
    return notification


# Insert-or-nothing on the dedupe key, so that a conflict leaves the transaction usable.
INSERT_NOTICE = """
INSERT INTO "notifications" ("recipient_id", "kind", "data", "dedupe_key", "created_at")
VALUES ($1, $2, $3::jsonb, $4, now()) ON CONFLICT ("dedupe_key") DO NOTHING
RETURNING "id", "created_at"
"""


async def notify_with(
    tx: Transaction, recipient_id: uuid.UUID, kind: str, data: dict[str, Any], *, dedupe_key: str
) -> None:
    """Store a notice in the caller's transaction (it commits with what it announces) and
    push it live once committed; nothing when `dedupe_key` was already used."""
    rows = await tx.connection.execute_query_dict(
        INSERT_NOTICE, [recipient_id, kind, json.dumps(data), dedupe_key]
    )
    if rows:
        stored = Notification(recipient_id=recipient_id, kind=kind, data=data, **rows[0])
        payload = as_dict(stored)
        tx.after_commit(lambda: _push(recipient_id, payload))


async def _push(recipient_id: uuid.UUID, payload: dict[str, Any]) -> None:
    try:
        await live.publish(recipient_id, payload)
    except Exception as error:  # noqa: BLE001 - it is stored; the page will fetch it
        logger.warning("live delivery of notification {} failed: {}", payload["id"], error)


# Reading and marking (the API)


def _unread(recipient_id: uuid.UUID) -> QuerySet[Notification]:
    return Notification.filter(recipient_id=recipient_id, read_at__isnull=True)


async def notifications_page(recipient_id: uuid.UUID, query: NotificationQuery) -> NotificationPage:
    """The user's notices, newest first (keyset on the id)."""
    rows = _unread(recipient_id) if query.unread else Notification.filter(recipient_id=recipient_id)
    after = decode_cursor(query.cursor, 1)
    if after is not None:
        rows = rows.filter(id__lt=_cursor_id(after[0]))
    found = await rows.order_by("-id").limit(query.limit + 1)
    page = found[: query.limit]
    next_cursor = encode_cursor(page[-1].id) if len(found) > query.limit else None
    return NotificationPage(
        items=[schemas.Notification.model_validate(row) for row in page], next_cursor=next_cursor
    )


def _cursor_id(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    raise field_error("cursor", "The cursor is not valid; start again from the first page.")


async def unread_count(recipient_id: uuid.UUID) -> int:
    return await _unread(recipient_id).count()


async def mark_read(recipient_id: uuid.UUID, ids: list[int] | None) -> MarkReadOut:
    """Mark some (`ids`) or all (None) of the user's unread notices read; others' are
    never touched."""
    rows = _unread(recipient_id)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    updated = await rows.update(read_at=timezone.now())
    return MarkReadOut(updated=updated, unread=await unread_count(recipient_id))
