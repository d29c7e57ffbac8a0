/** Post queries: their keys, paged lists, and keeping every cached copy of a post in step. */
import { useInfiniteQuery, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { listCreatorPosts, listMyPosts, type Post, type PostStatus } from "../api/posts";
import type { Page } from "../api/types";
import { pagedQuery } from "./hooks";
import { keys } from "./keys";

/**
 * Locked posts' photo URLs are signed and short-lived (minutes), so posts are refetched well
 * before that rather than kept: a minute fresh, and gone from the cache soon after unused.
 */
export const POST_STALE_MS = 60_000;
export const POST_GC_MS = 2 * 60_000;

/** Under one prefix, so that `postKeys.all` refreshes every list and post at once. */
export const postKeys = {
  all: ["posts"] as const,
  creator: (handle: string) => ["posts", "creator", handle.toLowerCase()] as const,
  mine: (status: PostStatus) => ["posts", "mine", status] as const,
  one: (id: string) => ["posts", "one", id] as const,
};

export const POSTS_PAGE_SIZE = 10;
/** How often to look again while a locked post's blurred preview is still being made. */
export const PREVIEW_POLL_MS = 3000;

function waitingForPreview(data: InfiniteData<Page<Post>> | undefined): boolean {
  return !!data?.pages.some((page) => page.items.some((post) => post.locked && !post.preview));
}

export function useCreatorPosts(handle: string) {
  return useInfiniteQuery({
    ...pagedQuery(
      postKeys.creator(handle),
      (args) => listCreatorPosts(handle, args),
      POSTS_PAGE_SIZE,
    ),
    staleTime: POST_STALE_MS,
    gcTime: POST_GC_MS,
    refetchInterval: (query) => (waitingForPreview(query.state.data) ? PREVIEW_POLL_MS : false),
  });
}

export function useMyPosts(status: PostStatus) {
  return useInfiniteQuery({
    ...pagedQuery(postKeys.mine(status), (args) => listMyPosts(status, args), POSTS_PAGE_SIZE),
    staleTime: POST_STALE_MS,
    gcTime: POST_GC_MS,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPost(value: unknown): value is Post {
  return isRecord(value) && typeof value.id === "string" && Array.isArray(value.photos);
}

type Edit = (post: Post) => Post | null;

/**
 * Apply `edit` to the post `id` wherever `data` holds it: a post, a page `{items}`, an
 * infinite query's `{pages}`, or items that wrap it as `{post}` (the feed's). `null` from
 * `edit` takes it out of lists. Unchanged data keeps its identity.
 */
function editIn(data: unknown, id: string, edit: Edit): unknown {
  if (isPost(data)) return data.id === id ? (edit(data) ?? data) : data;
  if (!isRecord(data)) return data;
  if (Array.isArray(data.pages)) {
    const pages = data.pages.map((page) => editIn(page, id, edit));
    return pages.some((page, i) => page !== (data.pages as unknown[])[i])
      ? { ...data, pages }
      : data;
  }
  if (Array.isArray(data.items)) {
    const items: unknown[] = [];
    let changed = false;
    for (const item of data.items as unknown[]) {
      const inner = isRecord(item) && isPost(item.post) ? item.post : item;
      if (!isPost(inner) || inner.id !== id) {
        items.push(item);
        continue;
      }
      changed = true;
      const next = edit(inner);
      if (next === null) continue;
      items.push(inner === item ? next : { ...(item as object), post: next });
    }
    return changed ? { ...data, items } : data;
  }
  return data;
}

function editEverywhere(client: QueryClient, id: string, edit: Edit) {
  for (const queryKey of [postKeys.all, keys.feed]) {
    client.setQueriesData({ queryKey }, (data: unknown) => editIn(data, id, edit));
  }
}

/** Change the cached copies of post `id` (optimistic likes, rollbacks). */
export function updateCachedPost(client: QueryClient, id: string, change: (post: Post) => Post) {
  editEverywhere(client, id, change);
}

/** Put the server's latest copy of a post everywhere it is cached. */
export function replaceCachedPost(client: QueryClient, post: Post) {
  editEverywhere(client, post.id, () => post);
}

/** Take a deleted post out of every cached list. */
export function removeCachedPost(client: QueryClient, id: string) {
  editEverywhere(client, id, () => null);
  client.removeQueries({ queryKey: postKeys.one(id) });
}
