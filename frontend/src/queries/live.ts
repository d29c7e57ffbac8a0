/** The live notification stream, wired into the query cache. */
import type { QueryClient } from "@tanstack/react-query";
import { connectNotificationStream } from "../api/stream";
import type { Notification, UnreadCount } from "../api/types";
import { keys } from "./keys";

/** What else a notification of each kind makes stale. */
function invalidateFor(client: QueryClient, notification: Notification) {
  switch (notification.kind) {
    case "tip":
      void client.invalidateQueries({ queryKey: keys.wallet });
      void client.invalidateQueries({ queryKey: keys.earnings });
      break;
    case "purchase":
    case "refund":
      void client.invalidateQueries({ queryKey: keys.wallet });
      void client.invalidateQueries({ queryKey: keys.payments });
      break;
    case "payout_paid":
    case "payout_failed":
      void client.invalidateQueries({ queryKey: keys.wallet });
      void client.invalidateQueries({ queryKey: keys.payouts });
      void client.invalidateQueries({ queryKey: keys.earnings });
      break;
    case "follow":
      void client.invalidateQueries({ queryKey: keys.creators });
      break;
    case "media_ready": {
      const id = notification.data.media_id;
      if (typeof id === "string") void client.invalidateQueries({ queryKey: keys.media(id) });
      void client.invalidateQueries({ queryKey: keys.creators });
      break;
    }
  }
}

/** `onNotice` (optional) hears each notification as it arrives, e.g. to show a toast. */
export function startLiveNotifications(
  client: QueryClient,
  onNotice?: (notification: Notification) => void,
): () => void {
  return connectNotificationStream({
    onOpen: () => {
      // Nothing is replayed: whatever arrived while disconnected is found by refetching.
      void client.invalidateQueries({ queryKey: keys.notifications });
      void client.invalidateQueries({ queryKey: keys.wallet });
    },
    onNotification: (notification) => {
      if (notification.read_at === null) {
        client.setQueryData<UnreadCount>(keys.unreadCount, (old) =>
          old ? { count: old.count + 1 } : old,
        );
      }
      void client.invalidateQueries({ queryKey: keys.notifications });
      invalidateFor(client, notification);
      onNotice?.(notification);
    },
  });
}
