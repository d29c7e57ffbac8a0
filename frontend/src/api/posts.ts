/** Posts: drafting, publishing, editing, deleting, listing, likes and paid unlocks. */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type { components } from "./schema";
import type { Page, Thumbnail } from "./types";

type Schemas = components["schemas"];

/** The blurred picture of a locked post's first photo. */
export type PostPreview = NonNullable<Schemas["PostOut"]["preview"]>;
export type PostPhoto = Schemas["PhotoOut"];
export type PostAuthor = Schemas["UserSummary"];
/**
 * A post as this viewer may see it. When `locked` (not the author, not unlocked), `photos`
 * is empty, `caption` is its first line and `preview` is the blurred first photo (null for a
 * moment while the worker makes it).
 */
export type Post = Schemas["PostOut"];
export type PostStatus = Post["status"];
/** What the composer sends: every field, `price` 0 for free. */
export type PostDraft = Required<Schemas["PostIn"]>;
export type PostChanges = Schemas["PostPatch"];
export type LikeResult = Schemas["LikeOut"];
/** The unlocked post (with its photos), the fan's new balance, the price paid. */
export type UnlockResult = Schemas["UnlockOut"];

export const CAPTION_MAX = 2200;
export const PHOTOS_MAX = 10;
export const PRICE_MAX = 10_000;

const postPath = (id: string) => `/api/posts/${encodeURIComponent(id)}`;

export function createPost(body: PostDraft): Promise<Post> {
  return api("/api/posts", { method: "POST", body });
}

export function updatePost(id: string, body: PostChanges): Promise<Post> {
  return api(postPath(id), { method: "PATCH", body });
}

export function publishPost(id: string): Promise<Post> {
  return api(`${postPath(id)}/publish`, { method: "POST" });
}

export function deletePost(id: string): Promise<void> {
  return api(postPath(id), { method: "DELETE" });
}

/** Works signed out too (then no bearer token is sent: locked posts stay locked). */
export function getPost(id: string, signal?: AbortSignal): Promise<Post> {
  return api(postPath(id), { signal });
}

/** Published posts, newest first. */
export function listCreatorPosts(
  handle: string,
  { cursor, limit, signal }: PageArgs = {},
): Promise<Page<Post>> {
  return api(`/api/creators/${encodeURIComponent(handle)}/posts`, {
    query: { cursor, limit },
    signal,
  });
}

/** The signed-in creator's own posts, drafts too, newest first. */
export function listMyPosts(
  status: PostStatus,
  { cursor, limit, signal }: PageArgs = {},
): Promise<Page<Post>> {
  return api("/api/me/posts", { query: { status, cursor, limit }, signal });
}

export function likePost(id: string): Promise<LikeResult> {
  return api(`${postPath(id)}/like`, { method: "PUT" });
}

export function unlikePost(id: string): Promise<LikeResult> {
  return api(`${postPath(id)}/like`, { method: "DELETE" });
}

/**
 * Pay `price` (the price the fan was shown) to see the post. `key` is the Idempotency-Key of
 * this attempt: sending it again replays the answer and charges nothing. A 409
 * `price_changed` carries `details.price`; `insufficient_balance` carries `details.balance`
 * and `details.required`.
 */
export function unlockPost(id: string, price: number, key: string): Promise<UnlockResult> {
  return api(`${postPath(id)}/unlock`, {
    method: "POST",
    body: { price },
    headers: { "Idempotency-Key": key },
  });
}

/** The photo's thumbnail of `size` px ("320", "960"), or the nearest one there is. */
export function photoThumbnail(photo: PostPhoto, size: "320" | "960" = "960"): Thumbnail | null {
  const thumbs = photo.thumbnails;
  return thumbs[size] ?? thumbs["960"] ?? thumbs["320"] ?? Object.values(thumbs)[0] ?? null;
}
