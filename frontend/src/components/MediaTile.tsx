import { thumbnail } from "../api/media";
import type { Media } from "../api/types";

/** A square 320 px thumbnail (the 960 one for wide screens), with its size reserved. */
export function MediaImage({ media, alt }: { media: Media; alt: string }) {
  const small = thumbnail(media, "320");
  const large = media.thumbnails?.["960"];
  if (!small) {
    return (
      <span className="media-placeholder" role="img" aria-label={alt}>
        {media.status === "failed" ? "Failed" : "Processing…"}
      </span>
    );
  }
  return (
    <img
      src={small.url}
      srcSet={large ? `${small.url} ${small.width}w, ${large.url} ${large.width}w` : undefined}
      sizes="(max-width: 40rem) 50vw, 240px"
      width={small.width}
      height={small.height}
      alt={alt}
      loading="lazy"
      decoding="async"
    />
  );
}
