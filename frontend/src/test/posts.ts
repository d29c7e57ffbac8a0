/** Builders for posts, as the posts API answers them. */
import type { Post, PostPhoto } from "../api/posts";

export const CREATOR_ID = "c0000000-0000-4000-8000-000000000002";

export function makePhoto(n: number, overrides: Partial<PostPhoto> = {}): PostPhoto {
  const id = `m0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    media_id: id,
    width: 1600,
    height: 1200,
    thumbnails: {
      "320": { url: `/media/${id}-320.webp`, width: 320, height: 240, content_type: "image/webp" },
      "960": { url: `/media/${id}-960.webp`, width: 960, height: 720, content_type: "image/webp" },
    },
    ...overrides,
  };
}

export function makePost(overrides: Partial<Post> = {}): Post {
  const photos = overrides.photos ?? [makePhoto(1)];
  return {
    id: "p0000000-0000-4000-8000-000000000001",
    author: { id: CREATOR_ID, handle: "grace", display_name: "Grace Hopper", avatar_url: null },
    caption: "First line\nSecond line",
    status: "published",
    photos,
    like_count: 3,
    liked_by_me: false,
    created_at: "2025-01-02T00:00:00Z",
    published_at: "2025-01-02T00:00:05Z",
    price: 0,
    photo_count: photos.length,
    locked: false,
    unlocked_by_me: false,
    preview: null,
    ...overrides,
  };
}

/** A post as a fan who has not paid sees it: no photos, the first caption line, a preview. */
export function makeLockedPost(overrides: Partial<Post> = {}): Post {
  return makePost({
    price: 20,
    photo_count: 3,
    photos: [],
    caption: "First line",
    locked: true,
    preview: { url: "/media/preview-blur.webp", width: 64, height: 48, content_type: "image/webp" },
    ...overrides,
  });
}
