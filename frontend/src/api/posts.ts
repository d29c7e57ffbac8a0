/** Posts: drafting, publishing, editing, deleting, listing, likes and paid unlocks. */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type { components } from "./schema";
import type { Page, Thumbnail } from "./types";

type Schemas = components["schemas"];

// Paid posts (price, lock, preview, unlock, the creator's own list) are typed by hand here on
// top of the generated shapes until the backend that serves them is on main; then
// `make api-types` brings them into schema.d.ts and these additions go.

/** The blurred picture of a locked post's first photo. */
export interface PostPreview {
  url: string;
  width: number;
  height: number;
}

export type PostPhoto = Schemas["PhotoOut"];
export type PostAuthor = Schemas["UserSummary"];
export type PostStatus = Schemas["PostOut"]["status"];

export type Post = Schemas["PostOut"] & {
  /** Tokens to unlock it; 0 is free. */
  price: number;
  photo_count: number;
  /** This viewer may not see the photos: `photos` is empty and `caption` is its first line. */
  locked: boolean;
  unlocked_by_me: boolean;
  /** Present when locked; null for a moment while the worker makes it. */
  preview: PostPreview | null;
};

export interface PostDraft {
  caption: string;
  media_ids: string[];
  price: number;
}

export type PostChanges = Partial<PostDraft>;
export type LikeResult = Schemas["LikeOut"];

export interface UnlockResult {
  post: Post;
  /** The fan's balance after paying. */
  balance: number;
  price: number;
}

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
