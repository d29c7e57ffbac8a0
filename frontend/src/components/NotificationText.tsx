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

function who(value: unknown): string {
  const person = record(value);
  return str(person.display_name) ?? (str(person.handle) ? `@${str(person.handle)}` : "Someone");
}

/** The sentence for a notification; unknown kinds get a generic one. */
export function describeNotification(notification: Notification): string {
  const data = record(notification.data);
  switch (notification.kind) {
    case "follow":
      return `${who(data.follower)} followed you`;
    case "tip": {
      const amount = num(data.amount);
      const sentence = `${who(data.from)} tipped you ${amount === null ? "some tokens" : tokens(amount)}`;
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

/** Where a notification leads, if anywhere (`me` is the signed-in person's handle). */
export function notificationLink(notification: Notification, me: string): string | null {
  switch (notification.kind) {
    case "tip":
    case "purchase":
    case "refund":
      return "/wallet";
    case "media_ready":
      return `/creators/${encodeURIComponent(me)}`;
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
