import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { getMedia, thumbnail } from "../../api/media";
import type { Media, Thumbnail } from "../../api/types";
import { keys } from "../../queries/keys";

/** Poll every second, then every 5 s once it has taken more than a minute (as UploadPage did). */
const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 5000;
const SLOW_AFTER_MS = 60_000;

export type PhotoState = "uploading" | "processing" | "ready" | "failed";

/** One photo of the post being written, from picking it to ready (or failed). */
export interface ComposerItem {
  key: string;
  name: string;
  /** An object URL of the picked file, until the thumbnail is there. */
  preview: string | null;
  state: PhotoState;
  /** 0 to 1, while uploading. */
  progress: number;
  mediaId: string | null;
  thumb: Thumbnail | null;
  error: string | null;
  /** When the upload finished (processing started), for the slow-poll switch. */
  since: number;
}

function failure(media: Media): string {
  return media.failure_reason
    ? `It could not be processed: ${media.failure_reason}`
    : "It could not be processed. Try another picture.";
}

/**
 * A row: the picture, its name and state (a progress bar while it uploads, then "Making the
 * thumbnails…" while the worker does), and the buttons to move or remove it. While processing
 * it polls the media item and reports the outcome with `onSettled`.
 */
export function ComposerPhoto({
  item,
  index,
  total,
  onMove,
  onRemove,
  onSettled,
}: {
  item: ComposerItem;
  index: number;
  total: number;
  onMove: (key: string, by: -1 | 1) => void;
  onRemove: (key: string) => void;
  onSettled: (key: string, change: Partial<ComposerItem>) => void;
}) {
  const processing = item.state === "processing" && item.mediaId !== null;
  const media = useQuery({
    queryKey: keys.media(item.mediaId ?? "none"),
    queryFn: ({ signal }) => getMedia(item.mediaId!, signal),
    enabled: processing,
    staleTime: 0,
    refetchInterval: (query) => {
      if (query.state.data !== undefined && query.state.data.status !== "processing") return false;
      return Date.now() - item.since > SLOW_AFTER_MS ? SLOW_POLL_MS : FAST_POLL_MS;
    },
    // Keep polling through a brief network problem.
    retry: 3,
  });

  const polled = media.data;
  const { key } = item;
  useEffect(() => {
    if (!processing || !polled || polled.id !== item.mediaId) return;
    if (polled.status === "ready") {
      onSettled(key, { state: "ready", thumb: thumbnail(polled, "320") });
    } else if (polled.status === "failed") {
      onSettled(key, { state: "failed", error: failure(polled) });
    }
  }, [processing, polled, item.mediaId, key, onSettled]);

  // Say so when processing takes more than a minute.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!processing) return;
    const timer = setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [processing]);

  const position = `photo ${index + 1}`;
  const percent = item.state === "uploading" ? Math.round(item.progress * 100) : 100;
  const src = item.thumb?.url ?? item.preview;
  return (
    <li
      className="composer-photo"
      data-testid="composer-photo"
      data-state={item.state}
      data-media-id={item.mediaId ?? undefined}
    >
      <div className="composer-thumb">
        {src ? (
          <img
            src={src}
            alt={item.state === "ready" ? `${index + 1}. ${item.name}, ready` : ""}
            className={item.state === "ready" ? undefined : "is-pending"}
            data-testid={item.state === "ready" ? "composer-thumbnail" : undefined}
          />
        ) : null}
      </div>
      <div>
        <p className="upload-name">
          {index + 1}. {item.name}
        </p>
        <div role="status" aria-live="polite" data-testid="composer-photo-status">
          {item.state === "uploading" ? (
            <p>Uploading… {percent}%</p>
          ) : item.state === "processing" ? (
            <p>
              Uploaded. Making the thumbnails…
              {slow ? " This is taking longer than usual." : null}
            </p>
          ) : item.state === "ready" ? (
            <p className="muted small">Ready</p>
          ) : null}
        </div>
        {item.state === "uploading" || item.state === "processing" ? (
          <progress
            className="progress"
            max={100}
            value={percent}
            aria-label={`Upload progress of ${position}`}
            data-testid="composer-progress"
          >
            {percent}%
          </progress>
        ) : null}
        {item.state === "failed" ? (
          <div className="alert alert-error" role="alert" data-testid="composer-photo-error">
            <p>{item.error}</p>
          </div>
        ) : null}
        <div className="actions">
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => onMove(key, -1)}
            disabled={index === 0}
            id={`${key}-earlier`}
            aria-label={`Move ${position} earlier`}
          >
            <span aria-hidden="true">↑</span> Earlier
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => onMove(key, 1)}
            disabled={index === total - 1}
            id={`${key}-later`}
            aria-label={`Move ${position} later`}
          >
            <span aria-hidden="true">↓</span> Later
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => onRemove(key)}
            aria-label={`Remove ${position}`}
            data-testid="composer-remove"
          >
            Remove
          </button>
        </div>
      </div>
    </li>
  );
}
