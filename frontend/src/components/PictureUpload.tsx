import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { updateProfile } from "../api/accounts";
import { errorMessage } from "../api/errors";
import { getMedia, UPLOAD_TYPES } from "../api/media";
import { uploadMedia } from "../api/upload";
import { Notice, Spinner } from "./feedback";

const POLL_MS = 800;
const GIVE_UP_MS = 120_000;

type State =
  | { step: "idle" }
  | { step: "uploading"; fraction: number }
  | { step: "processing" }
  | { step: "saved" }
  | { step: "failed"; message: string };

/** The worker could not make the picture, or took too long: its message says which. */
class PictureFailed extends Error {}

/** Wait for the worker's thumbnails; resolves when ready, throws what went wrong. */
async function ready(mediaId: string, signal: AbortSignal): Promise<void> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  for (;;) {
    const media = await getMedia(mediaId, signal);
    if (media.status === "ready") return;
    if (media.status === "failed") {
      throw new PictureFailed(
        media.failure_reason
          ? `The picture could not be processed: ${media.failure_reason}`
          : "The picture could not be processed. Try another one.",
      );
    }
    if (Date.now() > giveUpAt)
      throw new PictureFailed("The picture is taking too long. Try again later.");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Upload a new picture and make it your avatar, for any account (`POST /api/me/avatar`):
 * a progress bar while it uploads, a spinner while the worker makes its thumbnails, then
 * the profile is saved with it.
 */
export function PictureUpload() {
  const [state, setState] = useState<State>({ step: "idle" });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  async function onPick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    try {
      setState({ step: "uploading", fraction: 0 });
      const accepted = await uploadMedia(file, {
        path: "/api/me/avatar",
        signal: current.signal,
        onProgress: (fraction) => setState({ step: "uploading", fraction }),
      });
      setState({ step: "processing" });
      await ready(accepted.id, current.signal);
      await updateProfile({ avatar_media_id: accepted.id });
      setState({ step: "saved" });
    } catch (error) {
      if (current.signal.aborted) return;
      const message = error instanceof PictureFailed ? error.message : errorMessage(error);
      setState({ step: "failed", message });
    }
  }

  const busy = state.step === "uploading" || state.step === "processing";
  return (
    <div className="field" data-testid="picture-upload">
      <label className="btn btn-ghost" aria-disabled={busy || undefined}>
        Upload a new picture
        <input
          type="file"
          className="visually-hidden"
          accept={UPLOAD_TYPES.join(",")}
          disabled={busy}
          onChange={(event) => void onPick(event)}
          data-testid="picture-upload-input"
        />
      </label>
      {state.step === "uploading" ? (
        <progress
          max={1}
          value={state.fraction}
          aria-label="Uploading your picture"
          data-testid="picture-upload-progress"
        />
      ) : null}
      {state.step === "processing" ? <Spinner label="Preparing your picture…" /> : null}
      {state.step === "saved" ? (
        <Notice testId="picture-upload-saved">Your new picture is saved.</Notice>
      ) : null}
      {state.step === "failed" ? (
        <div className="alert alert-error" role="alert" data-testid="picture-upload-error">
          <p>{state.message}</p>
        </div>
      ) : null}
    </div>
  );
}
