import type { CreatorSort } from "../api/types";

/**
 * Every TanStack Query key of the app, so invalidations match what pages read. Keys are
 * prefixes of one another on purpose: invalidating `wallet` also refreshes its entries.
 */
export const keys = {
  wallet: ["wallet"] as const,
  walletEntries: ["wallet", "entries"] as const,
  payments: ["payments"] as const,
  payment: (id: string) => ["payments", "one", id] as const,
  packages: ["packages"] as const,
  creators: ["creators"] as const,
  creatorList: (q: string, sort: CreatorSort) => ["creators", "list", { q, sort }] as const,
  creator: (handle: string) => ["creators", "profile", handle.toLowerCase()] as const,
  creatorMedia: (handle: string) => ["creators", "media", handle.toLowerCase()] as const,
  following: ["following"] as const,
  feed: ["feed"] as const,
  media: (id: string) => ["media", id] as const,
  notifications: ["notifications"] as const,
  notificationList: (unread: boolean) => ["notifications", "list", { unread }] as const,
  unreadCount: ["notifications", "unread-count"] as const,
  earnings: ["earnings"] as const,
  earningsDaily: (days: number) => ["earnings", "daily", { days }] as const,
  supporters: (limit: number) => ["earnings", "supporters", { limit }] as const,
  receivedTips: ["earnings", "tips"] as const,
  payouts: ["payouts"] as const,
  payoutAccount: ["payouts", "account"] as const,
  payoutList: ["payouts", "list"] as const,
};
