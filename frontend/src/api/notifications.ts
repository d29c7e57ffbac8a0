/** Notifications: list, unread count, mark read (the live stream is in stream.ts). */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type { MarkReadRequest, MarkReadResult, Notification, Page, UnreadCount } from "./types";

export function listNotifications({
  unread,
  cursor,
  limit,
  signal,
}: PageArgs & { unread?: boolean } = {}): Promise<Page<Notification>> {
  return api("/api/notifications", {
    query: { unread: unread ? true : null, cursor, limit },
    signal,
  });
}

export function getUnreadCount(signal?: AbortSignal): Promise<UnreadCount> {
  return api("/api/notifications/unread-count", { signal });
}

export function markRead(body: MarkReadRequest): Promise<MarkReadResult> {
  return api("/api/notifications/read", { method: "POST", body });
}
