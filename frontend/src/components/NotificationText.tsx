import type { Notification } from "../api/types";
import { money, tokens } from "../lib/format";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The other person of a notice (`data.actor`: who followed, tipped, unlocked...). */
export interface NotificationActor {
  id: string;
  handle: string;
  display_name: string;
  avatar_url: string | null;
  role: string;
}

/** The notice's actor; null for notices without one (and for older stored notices). */
export function notificationActor(notification: Notification): NotificationActor | null {
  const actor = record(record(notification.data).actor);
  const handle = str(actor.handle);
  if (!handle) return null;
  return {
    id: str(actor.id) ?? "",
    handle,
    display_name: str(actor.display_name) ?? handle,
    avatar_url: str(actor.avatar_url),
    role: str(actor.role) ?? "fan",
  };
}

/**
 * Where a person's name leads: a creator's public page. Fans have no public page: their
 * name, @handle and picture in the notice are all there is to show about them.
 */
export function personLink(person: Pick<NotificationActor, "handle" | "role">): string | null {
  return person.role === "creator" ? `/creators/${encodeURIComponent(person.handle)}` : null;
}

function who(notification: Notification, legacy: unknown): string {
  const actor = notificationActor(notification);
  if (actor) return `${actor.display_name} (@${actor.handle})`;
  const person = record(legacy);
  return str(person.display_name) ?? (str(person.handle) ? `@${str(person.handle)}` : "Someone");
}

/** The sentence for a notification; unknown kinds get a generic one. */
export function describeNotification(notification: Notification): string {
  const data = record(notification.data);
  switch (notification.kind) {
    case "follow":
      return `${who(notification, data.follower)} followed you`;
    case "tip": {
      const amount = num(data.amount);
      const sentence = `${who(notification, data.from)} tipped you ${amount === null ? "some tokens" : tokens(amount)}`;
      const message = str(data.message);
      return message ? `${sentence}: “${message}”` : sentence;
    }
    case "purchase": {
      const amount = num(data.tokens);
      return `${amount === null ? "Tokens" : tokens(amount)} added to your wallet`;
    }
    case "refund": {
      const amount = num(data.tokens);
      return `${amount === null ? "Tokens" : tokens(amount)} were taken back after a refund`;
    }
    case "post_unlocked": {
      const price = num(data.price);
      return `${who(notification, null)} unlocked your post for ${price === null ? "tokens" : tokens(price)}`;
    }
    case "media_ready":
      return "Your photo is ready";
    case "payout_paid":
    case "payout_failed": {
      const cents = num(data.amount_cents);
      const currency = str(data.currency);
      const amount = cents !== null && currency ? money(cents, currency) : "Your payout";
      if (notification.kind === "payout_paid") return `${amount} was paid to your bank`;
      const message = str(data.message);
      return message ? `${amount} failed: ${message}` : `${amount} failed to reach your bank`;
    }
    default:
      return "You have a new notification";
  }
}

/**
 * Where a notification leads, if anywhere (`me` is the signed-in person's handle, `role`
 * theirs: only creators have a public page of their photos).
 */
export function notificationLink(
  notification: Notification,
  me: string,
  role = "creator",
): string | null {
  switch (notification.kind) {
    case "follow": {
      const actor = notificationActor(notification);
      return actor ? personLink(actor) : null;
    }
    case "post_unlocked":
      return `/creators/${encodeURIComponent(me)}`;
    case "tip":
    case "purchase":
    case "refund":
      return "/wallet";
    case "media_ready":
      return role === "creator" ? `/creators/${encodeURIComponent(me)}` : "/settings";
    case "payout_paid":
    case "payout_failed":
      return "/dashboard";
    default:
      return null;
  }
}

/** The thumbnail a notification carries (media_ready), if any. */
export function notificationImage(notification: Notification): string | null {
  return notification.kind === "media_ready" ? str(record(notification.data).thumbnail_url) : null;
}
