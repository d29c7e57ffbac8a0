/** Media: listing, status, deletion (uploads are in upload.ts, for their progress events). */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type { Media, Page, Thumbnail } from "./types";

export function getMedia(id: string, signal?: AbortSignal): Promise<Media> {
  return api(`/api/media/${encodeURIComponent(id)}`, { signal });
}

/** Ready media only, unless `handle` is the caller: then processing and failed ones too. */
export function listCreatorMedia(
  handle: string,
  { cursor, limit, signal }: PageArgs = {},
): Promise<Page<Media>> {
  return api(`/api/creators/${encodeURIComponent(handle)}/media`, {
    query: { cursor, limit },
    signal,
  });
}

export function deleteMedia(id: string): Promise<void> {
  return api(`/api/media/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** The thumbnail of `size` px ("320", "960"), or the nearest one there is. */
export function thumbnail(media: Media, size: "320" | "960" = "320"): Thumbnail | null {
  const thumbs = media.thumbnails ?? {};
  return thumbs[size] ?? thumbs["320"] ?? thumbs["960"] ?? Object.values(thumbs)[0] ?? null;
}

export const UPLOAD_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
