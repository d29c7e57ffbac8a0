/**
 * Cross-tab coordination of the refresh cookie.
 *
 * Every tab of the app shares one refresh cookie, and the server revokes the whole session when
 * an already-rotated refresh token is presented. So only one tab at a time may call
 * `/api/auth/refresh` (a Web Lock), and the tab that refreshed hands the new access token to the
 * others (a BroadcastChannel), so that a tab that waited on the lock uses that token instead of
 * refreshing again. Both APIs are optional: without them (old browsers, jsdom) each tab simply
 * refreshes on its own.
 */

export const LOCK_NAME = "digis-refresh";
export const CHANNEL_NAME = "digis-auth";

type Handler = (message: unknown) => void;

let channel: BroadcastChannel | null | undefined;
let handler: Handler | null = null;

function onMessage(event: MessageEvent) {
  handler?.(event.data);
}

/** Open the channel once (if the browser has one) and deliver other tabs' messages to `onTabMessage`. */
export function connectTabs(onTabMessage: Handler): void {
  handler = onTabMessage;
  if (channel !== undefined) return;
  channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL_NAME) : null;
  channel?.addEventListener("message", onMessage);
}

/** Tell the other tabs (never this one). A no-op without BroadcastChannel. */
export function tellOtherTabs(message: unknown): void {
  try {
    channel?.postMessage(message);
  } catch {
    // A closed channel or an uncloneable message must never break sign-in.
  }
}

/** Run `task` while holding the cross-tab refresh lock, or directly where Web Locks are missing. */
export async function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  if (!hasLocks()) return task();
  return navigator.locks.request(LOCK_NAME, { mode: "exclusive" }, task);
}

/** How long the refreshing tab keeps the lock after broadcasting its new token. */
export const HANDOFF_MS = 100;

function hasLocks(): boolean {
  return typeof navigator !== "undefined" && typeof navigator.locks?.request === "function";
}

/**
 * Resolves once the other tabs have had time to receive our broadcast: a tab waiting on the
 * lock then finds the new token instead of refreshing again. Immediate when there is nobody
 * to hand off to (no channel, no locks).
 */
export function handOff(): Promise<void> {
  if (!channel || !hasLocks()) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, HANDOFF_MS));
}

/** Close the channel; the next `connectTabs` opens a new one. For tests. */
export function disconnectTabs(): void {
  channel?.removeEventListener("message", onMessage);
  channel?.close();
  channel = undefined;
  handler = null;
}
