import { Link } from "react-router";
import type { Notification } from "../api/types";
import { Avatar } from "./Avatar";
import { notificationActor, personLink } from "./NotificationText";

/** The picture of the person a notice is about, linking to their page when they have one. */
export function NotificationActorAvatar({
  notification,
  size = 48,
}: {
  notification: Notification;
  size?: number;
}) {
  const actor = notificationActor(notification);
  if (!actor) return null;
  const link = personLink(actor);
  const picture = <Avatar name={actor.display_name} url={actor.avatar_url} size={size} />;
  if (!link) {
    return (
      <span className="notice-actor" data-testid="notification-actor">
        {picture}
      </span>
    );
  }
  return (
    <Link
      to={link}
      className="notice-actor"
      data-testid="notification-actor"
      aria-label={`${actor.display_name} (@${actor.handle})`}
    >
      {picture}
    </Link>
  );
}
