/** Creators, follows and the feed. */
import { api } from "./client";
import type {
  CreatorProfile,
  CreatorSort,
  CreatorSummary,
  FeedItem,
  FollowResult,
  Page,
  UserSummary,
} from "./types";

export interface PageArgs {
  cursor?: string | null;
  limit?: number;
  signal?: AbortSignal;
}

const path = (handle: string) => `/api/creators/${encodeURIComponent(handle)}`;

export function listCreators({
  q,
  sort = "popular",
  cursor,
  limit,
  signal,
}: PageArgs & { q?: string; sort?: CreatorSort }): Promise<Page<CreatorSummary>> {
  return api("/api/creators", { query: { q: q || null, sort, cursor, limit }, signal });
}

/** Sends the bearer token when signed in, so `is_following` is the caller's. */
export function getCreator(handle: string, signal?: AbortSignal): Promise<CreatorProfile> {
  return api(path(handle), { signal });
}

export function follow(handle: string): Promise<FollowResult> {
  return api(`${path(handle)}/follow`, { method: "PUT" });
}

export function unfollow(handle: string): Promise<FollowResult> {
  return api(`${path(handle)}/follow`, { method: "DELETE" });
}

export function listFollowing({ cursor, limit, signal }: PageArgs = {}): Promise<
  Page<CreatorSummary>
> {
  return api("/api/me/following", { query: { cursor, limit }, signal });
}

export function listFollowers(
  handle: string,
  { cursor, limit, signal }: PageArgs = {},
): Promise<Page<UserSummary>> {
  return api(`${path(handle)}/followers`, { query: { cursor, limit }, signal });
}

export function getFeed({ cursor, limit, signal }: PageArgs = {}): Promise<Page<FeedItem>> {
  return api("/api/feed", { query: { cursor, limit }, signal });
}
