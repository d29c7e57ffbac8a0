import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import { getMedia, thumbnail, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from "../api/media";
import { uploadMedia } from "../api/upload";
import type { User } from "../api/types";
import { useSession } from "../auth/useSession";
import { bytes } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { keys } from "../queries/keys";

/** Poll every second, then every 5 s once it has taken more than a minute. */
const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 5000;
const SLOW_AFTER_MS = 60_000;

type Phase =
  | { state: "idle" }
  | { state: "uploading"; progress: number }
  | { state: "processing"; id: string; since: number }
  | { state: "ready"; id: string }
  | { state: "failed"; message: string };

/** A check before sending: the API accepts JPEG, PNG and WebP up to 20 MiB. */
export function checkFile(file: File): string | null {
  if (!(UPLOAD_TYPES as readonly string[]).includes(file.type)) {
    return "Choose a JPEG, PNG or WebP picture.";
  }
  if (file.size > UPLOAD_MAX_BYTES) {
    return `That picture is ${bytes(file.size)}; the limit is 20 MB.`;
  }
  if (file.size === 0) return "That file is empty.";
  return null;
}

function Uploader({ user }: { user: User }) {
  const inputId = useId();
  const client = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [phase, setPhase] = useState<Phase>({ state: "idle" });
  const [preview, setPreview] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const mediaId = phase.state === "processing" || phase.state === "ready" ? phase.id : null;
  const media = useQuery({
    queryKey: keys.media(mediaId ?? "none"),
    queryFn: ({ signal }) => getMedia(mediaId!, signal),
    enabled: mediaId !== null,
    staleTime: 0,
    refetchInterval: (query) => {
      if (query.state.data?.status !== "processing" && query.state.data !== undefined) return false;
      if (phase.state !== "processing") return false;
      return Date.now() - phase.since > SLOW_AFTER_MS ? SLOW_POLL_MS : FAST_POLL_MS;
    },
    // Keep polling through a brief network problem.
    retry: 3,
  });

  // The poll settles the phase: ready shows the thumbnail, failed says why.
  const polled = media.data;
  if (phase.state === "processing" && polled && polled.id === phase.id) {
    if (polled.status === "ready") {
      setPhase({ state: "ready", id: phase.id });
    } else if (polled.status === "failed") {
      setPhase({
        state: "failed",
        message: polled.failure_reason
          ? `The picture could not be processed: ${polled.failure_reason}`
          : "The picture could not be processed. Try another one.",
      });
    }
  }

  useEffect(() => {
    if (phase.state !== "ready") return;
    void client.invalidateQueries({ queryKey: keys.creatorMedia(user.handle) });
    void client.invalidateQueries({ queryKey: keys.creator(user.handle) });
  }, [phase.state, client, user.handle]);

  // The local preview is an object URL: free it when replaced or when leaving.
  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);

  useEffect(() => () => abortRef.current?.abort(), []);

  // Say so when processing takes more than a minute (polling slows down then too).
  const [slowFor, setSlowFor] = useState<string | null>(null);
  const processingId = phase.state === "processing" ? phase.id : null;
  useEffect(() => {
    if (processingId === null) return;
    const timer = setTimeout(() => setSlowFor(processingId), SLOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [processingId]);
  const slow = processingId !== null && slowFor === processingId;

  async function start(file: File) {
    const problem = checkFile(file);
    setFileName(file.name);
    if (problem) {
      setPreview(null);
      setPhase({ state: "failed", message: problem });
      return;
    }
    setPreview(URL.createObjectURL(file));
    setPhase({ state: "uploading", progress: 0 });
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const accepted = await uploadMedia(file, {
        signal: controller.signal,
        onProgress: (progress) => setPhase({ state: "uploading", progress }),
      });
      setPhase({ state: "processing", id: accepted.id, since: Date.now() });
    } catch (error) {
      if (controller.signal.aborted) {
        setPhase({ state: "idle" });
        setPreview(null);
        return;
      }
      setPhase({ state: "failed", message: errorMessage(error) });
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
    }
  }

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // Clear it, so that choosing the same file again still fires a change.
    event.target.value = "";
    if (file) void start(file);
  }

  function reset() {
    setPhase({ state: "idle" });
    setPreview(null);
    setFileName(null);
    inputRef.current?.focus();
  }

  const busy = phase.state === "uploading" || phase.state === "processing";
  const ready = phase.state === "ready" && media.data ? thumbnail(media.data, "320") : null;
  const percent = phase.state === "uploading" ? Math.round(phase.progress * 100) : 100;
  // The bar stays (full) once the bytes are sent, while the thumbnails are made.
  const progressBar =
    phase.state === "uploading" || phase.state === "processing" || phase.state === "ready" ? (
      <progress
        className="progress"
        max={100}
        value={percent}
        aria-label="Upload progress"
        data-testid="upload-progress"
      >
        {percent}%
      </progress>
    ) : null;

  return (
    <>
      <div className="field">
        <label className="field-label" htmlFor={inputId}>
          Choose a photo
        </label>
        <p className="field-hint" id={`${inputId}-hint`}>
          JPEG, PNG or WebP, up to 20 MB. It uploads as soon as you pick it.
        </p>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          className="file-input"
          accept={UPLOAD_TYPES.join(",")}
          onChange={onChange}
          disabled={busy}
          aria-describedby={`${inputId}-hint`}
          data-testid="upload-input"
        />
      </div>

      {phase.state !== "idle" ? (
        <div
          className="upload-status"
          data-testid="upload-status"
          data-state={phase.state}
          role="status"
          aria-live="polite"
        >
          <div className="upload-preview">
            {ready ? (
              <img
                src={ready.url}
                width={ready.width}
                height={ready.height}
                alt="Your photo, ready"
                data-testid="upload-thumbnail"
              />
            ) : preview ? (
              <img src={preview} alt="" className={busy ? "is-pending" : undefined} />
            ) : null}
          </div>
          <div className="upload-text">
            {fileName ? <p className="upload-name">{fileName}</p> : null}
            {phase.state === "uploading" ? (
              <>
                <p>Uploading… {percent}%</p>
                {progressBar}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => abortRef.current?.abort()}
                >
                  Cancel
                </button>
              </>
            ) : phase.state === "processing" ? (
              <>
                <p>
                  Uploaded. Making the thumbnails…
                  {slow
                    ? " This is taking longer than usual; it will show on your profile when ready."
                    : null}
                </p>
                {progressBar}
              </>
            ) : phase.state === "ready" ? (
              <>
                <p>Your photo is ready and on your profile.</p>
                {progressBar}
                <div className="actions">
                  <Link
                    to={`/creators/${encodeURIComponent(user.handle)}`}
                    className="btn btn-primary"
                  >
                    See your profile
                  </Link>
                  <button type="button" className="btn btn-ghost" onClick={reset}>
                    Upload another
                  </button>
                </div>
              </>
            ) : phase.state === "failed" ? (
              <>
                <div className="alert alert-error" role="alert" data-testid="upload-error">
                  <p>{phase.message}</p>
                </div>
                <button type="button" className="btn btn-ghost" onClick={reset}>
                  Try another photo
                </button>
              </>
            ) : null}
          </div>
        </div>
      ) : null}
    </>
  );
}

export function UploadPage() {
  useDocumentTitle("Upload");
  const { user } = useSession();
  if (!user) return null; // RequireAuth renders this page only when signed in.
  return (
    <section className="page" data-testid="upload-page">
      <header className="page-header">
        <h1>Upload a photo</h1>
        <p className="muted">Your followers see it in their feed as soon as it is ready.</p>
      </header>
      {user.role === "creator" ? (
        <div className="card">
          <Uploader user={user} />
        </div>
      ) : (
        <div className="empty-state" data-testid="upload-creators-only">
          <p>Only creators can upload photos.</p>
          <Link to="/creators" className="btn btn-primary">
            Discover creators
          </Link>
        </div>
      )}
    </section>
  );
}
