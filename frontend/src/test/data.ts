/** Builders for the API's shapes beyond accounts. */
import type { CreatorProfile, Media, Notification, Purchase } from "../api/types";

export function makeCreator(overrides: Partial<CreatorProfile> = {}): CreatorProfile {
  return {
    id: "c0000000-0000-4000-8000-000000000002",
    handle: "grace",
    display_name: "Grace Hopper",
    avatar_url: null,
    bio: "Compilers and bugs.",
    follower_count: 41,
    media_count: 1,
    is_following: false,
    created_at: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

export function makeMedia(overrides: Partial<Media> = {}): Media {
  const id = overrides.id ?? "m0000000-0000-4000-8000-000000000001";
  return {
    id,
    owner_id: "c0000000-0000-4000-8000-000000000002",
    status: "ready",
    failure_reason: null,
    content_type: "image/jpeg",
    byte_size: 1000,
    width: 1600,
    height: 1200,
    created_at: "2025-01-02T00:00:00Z",
    ready_at: "2025-01-02T00:00:01Z",
    thumbnails: {
      "320": { url: `/media/${id}-320.webp`, width: 320, height: 240, content_type: "image/webp" },
      "960": { url: `/media/${id}-960.webp`, width: 960, height: 720, content_type: "image/webp" },
    },
    ...overrides,
  };
}

export function makeNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 1,
    kind: "follow",
    data: { follower: { id: "u2", handle: "fan", display_name: "Demo Fan", avatar_url: null } },
    created_at: new Date().toISOString(),
    read_at: null,
    ...overrides,
  };
}

export function makePurchase(overrides: Partial<Purchase> = {}): Purchase {
  return {
    id: "p0000000-0000-4000-8000-000000000001",
    package_id: "small",
    tokens: 100,
    amount_cents: 999,
    currency: "usd",
    status: "pending",
    created_at: "2026-01-01T00:00:00Z",
    paid_at: null,
    tokens_refunded: 0,
    failure_reason: null,
    ...overrides,
  };
}

export const page = <T>(items: T[], next_cursor: string | null = null) => ({ items, next_cursor });
