import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import type { Notification } from "../api/types";
import { useSession } from "../auth/useSession";
import { startLiveNotifications } from "../queries/live";
import { NotificationActorAvatar } from "./NotificationActor";
import { describeNotification, notificationLink } from "./NotificationText";

const TOAST_MS = 8000;

/** The latest live notice, briefly: who (picture, name, @handle) and what, with its link. */
function Toast({
  notification,
  me,
  role,
  onClose,
}: {
  notification: Notification;
  me: string;
  role: string;
  onClose: () => void;
}) {
  useEffect(() => {
    const timer = window.setTimeout(onClose, TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [notification.id, onClose]);
  const text = describeNotification(notification);
  const link = notificationLink(notification, me, role);
  return (
    <div className="toast notice" role="status" data-testid="notification-toast">
      <NotificationActorAvatar notification={notification} size={40} />
      <p className="notice-text notice-body">
        {link ? (
          <Link to={link} onClick={onClose}>
            {text}
          </Link>
        ) : (
          text
        )}
      </p>
      <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
        <span aria-hidden="true">×</span>
        <span className="visually-hidden">Dismiss</span>
      </button>
    </div>
  );
}

/** Keeps this tab's one notification stream open while someone is signed in, and shows
 * each new notice as a toast. */
export function LiveNotifications() {
  const client = useQueryClient();
  const { user } = useSession();
  const userId = user?.id ?? null;
  const [latest, setLatest] = useState<Notification | null>(null);
  const dismiss = useCallback(() => setLatest(null), []);
  useEffect(() => {
    if (userId === null) return;
    return startLiveNotifications(client, setLatest);
  }, [client, userId]);
  if (!latest || !user) return null;
  return <Toast notification={latest} me={user.handle} role={user.role} onClose={dismiss} />;
}
