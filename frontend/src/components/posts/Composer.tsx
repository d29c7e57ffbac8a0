import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import { useNavigate } from "react-router";
import { errorMessage } from "../../api/errors";
import { deleteMedia, UPLOAD_TYPES } from "../../api/media";
import {
  CAPTION_MAX,
  createPost,
  PHOTOS_MAX,
  photoThumbnail,
  publishPost,
  updatePost,
  type Post,
  type PostDraft,
} from "../../api/posts";
import type { User } from "../../api/types";
import { uploadMedia } from "../../api/upload";
import { serverErrors } from "../../lib/formErrors";
import { keys } from "../../queries/keys";
import { postKeys, replaceCachedPost } from "../../queries/posts";
import { checkFile } from "./checkFile";
import { FormAlert, Notice, Spinner } from "../feedback";
import { ComposerPhoto, type ComposerItem } from "./ComposerPhoto";
import { CaptionField, parsePrice, PriceField, priceInput, type PriceInput } from "./PostFields";
import "./posts.css";

let nextKey = 0;
const newKey = () => `photo-${++nextKey}`;

function fromDraft(post: Post): ComposerItem[] {
  return post.photos.map((photo, i) => ({
    key: newKey(),
    name: `Photo ${i + 1}`,
    preview: null,
    state: "ready",
    progress: 1,
    mediaId: photo.media_id,
    thumb: photoThumbnail(photo, "320"),
    error: null,
    since: 0,
  }));
}

type Action = "publish" | "draft";

/**
 * Writing a post: pick 1 to 10 photos (each uploads with its progress bar and waits until its
 * thumbnails are made), put them in order, write a caption, choose a price, then Publish or
 * Save draft. Nothing is published until Publish. `draft` continues a saved draft.
 */
export function Composer({ user, draft }: { user: User; draft?: Post }) {
  const inputId = useId();
  const client = useQueryClient();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<ComposerItem[]>(() => (draft ? fromDraft(draft) : []));
  const [caption, setCaption] = useState(draft?.caption ?? "");
  const [price, setPrice] = useState<PriceInput>(priceInput(draft?.price ?? 0));
  const [priceError, setPriceError] = useState<string | null>(null);
  const [pickProblem, setPickProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [submitProblem, setSubmitProblem] = useState<string | null>(null);
  // The draft this composer writes to, once saved (a failed publish retries on it).
  const [postId, setPostId] = useState<string | null>(draft?.id ?? null);
  // Media this composer uploaded that no saved post shows yet: deleted when removed.
  const unsaved = useRef(new Set<string>());
  const uploads = useRef(new Map<string, AbortController>());
  // The id of the button to focus once a move has rendered.
  const focusAfterMove = useRef<string | null>(null);

  const patch = useCallback((key: string, change: Partial<ComposerItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  // Free the local previews when leaving, and stop uploads still running.
  const itemsRef = useRef(items);
  useEffect(() => {
    itemsRef.current = items;
  });
  useEffect(() => {
    const running = uploads.current;
    return () => {
      for (const controller of running.values()) controller.abort();
      for (const item of itemsRef.current) if (item.preview) URL.revokeObjectURL(item.preview);
    };
  }, []);

  useEffect(() => {
    if (focusAfterMove.current) {
      document.getElementById(focusAfterMove.current)?.focus();
      focusAfterMove.current = null;
    }
  });

  async function upload(key: string, file: File) {
    const controller = new AbortController();
    uploads.current.set(key, controller);
    try {
      const accepted = await uploadMedia(file, {
        signal: controller.signal,
        onProgress: (progress) => patch(key, { progress }),
      });
      unsaved.current.add(accepted.id);
      patch(key, { state: "processing", progress: 1, mediaId: accepted.id, since: Date.now() });
    } catch (error) {
      if (controller.signal.aborted) return;
      patch(key, { state: "failed", error: errorMessage(error) });
    } finally {
      uploads.current.delete(key);
    }
  }

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    // Clear it, so that choosing the same files again still fires a change.
    event.target.value = "";
    const room = PHOTOS_MAX - items.length;
    const taken = files.slice(0, Math.max(0, room));
    setPickProblem(
      files.length > taken.length
        ? `A post has at most ${PHOTOS_MAX} photos; ${files.length - taken.length} of those were left out.`
        : null,
    );
    const added: ComposerItem[] = taken.map((file) => {
      const problem = checkFile(file);
      return {
        key: newKey(),
        name: file.name,
        preview: problem ? null : URL.createObjectURL(file),
        state: problem ? "failed" : "uploading",
        progress: 0,
        mediaId: null,
        thumb: null,
        error: problem,
        since: 0,
      };
    });
    setItems((list) => [...list, ...added]);
    setSubmitProblem(null);
    added.forEach((item, i) => {
      if (item.state === "uploading") void upload(item.key, taken[i]);
    });
  }

  function move(key: string, by: -1 | 1) {
    const from = items.findIndex((item) => item.key === key);
    const to = from + by;
    if (from < 0 || to < 0 || to >= items.length) return;
    const next = [...items];
    [next[from], next[to]] = [next[to], next[from]];
    setItems(next);
    setAnnouncement(`Photo moved to position ${to + 1} of ${items.length}.`);
    // Keep focus on the moved photo's button; at an end, on its other one.
    const atEnd = to === 0 || to === items.length - 1;
    const direction = by < 0 ? "earlier" : "later";
    const other = by < 0 ? "later" : "earlier";
    focusAfterMove.current = `${key}-${atEnd ? other : direction}`;
  }

  function remove(key: string) {
    const item = items.find((candidate) => candidate.key === key);
    if (!item) return;
    uploads.current.get(key)?.abort();
    if (item.preview) URL.revokeObjectURL(item.preview);
    if (item.mediaId && unsaved.current.has(item.mediaId)) {
      unsaved.current.delete(item.mediaId);
      // Best effort: an upload no post shows is only taking space.
      void deleteMedia(item.mediaId).catch(() => undefined);
    }
    setItems((list) => list.filter((candidate) => candidate.key !== key));
    setAnnouncement(`${item.name} removed.`);
    inputRef.current?.focus();
  }

  const mutation = useMutation({
    mutationFn: async ({ action, body }: { action: Action; body: PostDraft }) => {
      let post = postId ? await updatePost(postId, body) : await createPost(body);
      setPostId(post.id);
      for (const id of body.media_ids) unsaved.current.delete(id);
      if (action === "publish") post = await publishPost(post.id);
      return post;
    },
    onSuccess: (post, { action }) => {
      replaceCachedPost(client, post);
      void client.invalidateQueries({ queryKey: postKeys.all });
      void client.invalidateQueries({ queryKey: keys.creator(user.handle) });
      if (action === "publish") {
        void navigate(`/creators/${encodeURIComponent(user.handle)}`);
      }
    },
  });

  const ready = items.filter((item) => item.state === "ready");
  const pending = items.some((item) => item.state === "uploading" || item.state === "processing");
  const failed = items.some((item) => item.state === "failed");
  const blocker =
    items.length === 0
      ? "Add at least one photo."
      : pending
        ? "Wait until every photo is ready."
        : failed
          ? "Remove the photos that could not be used."
          : caption.length > CAPTION_MAX
            ? `Keep the caption to ${CAPTION_MAX} characters.`
            : null;

  function submit(action: Action) {
    if (mutation.isPending) return;
    if (blocker) {
      setSubmitProblem(blocker);
      return;
    }
    const parsed = parsePrice(price);
    if ("error" in parsed) {
      setPriceError(parsed.error);
      return;
    }
    setSubmitProblem(null);
    setPriceError(null);
    mutation.mutate({
      action,
      body: {
        caption,
        media_ids: ready.map((item) => item.mediaId!),
        price: parsed.price,
      },
    });
  }

  const serverProblem = mutation.isError
    ? serverErrors(mutation.error, ["caption", "price", "media_ids"] as const)
    : null;
  const busyAction = mutation.isPending ? mutation.variables.action : null;

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit("publish");
      }}
      noValidate
      data-testid="composer"
    >
      <div className="field">
        <label className="field-label" htmlFor={inputId}>
          Add photos
        </label>
        <p className="field-hint" id={`${inputId}-hint`}>
          1 to {PHOTOS_MAX} JPEG, PNG or WebP pictures, up to 20 MB each. They upload as you pick
          them; nothing is published until you press Publish.
        </p>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          multiple
          className="file-input"
          accept={UPLOAD_TYPES.join(",")}
          onChange={onPick}
          disabled={items.length >= PHOTOS_MAX}
          aria-describedby={`${inputId}-hint`}
          data-testid="composer-input"
        />
        {pickProblem ? (
          <p className="field-error" role="alert" data-testid="composer-pick-error">
            {pickProblem}
          </p>
        ) : null}
      </div>

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {items.length > 0 ? (
        <ol
          className="composer-photos"
          aria-label="Photos, in the order shown"
          data-testid="composer-photos"
        >
          {items.map((item, index) => (
            <ComposerPhoto
              key={item.key}
              item={item}
              index={index}
              total={items.length}
              onMove={move}
              onRemove={remove}
              onSettled={patch}
            />
          ))}
        </ol>
      ) : null}
      {serverProblem?.fields.media_ids ? (
        <p className="field-error" data-testid="field-error-media_ids">
          {serverProblem.fields.media_ids}
        </p>
      ) : null}

      <CaptionField value={caption} onChange={setCaption} error={serverProblem?.fields.caption} />
      <PriceField
        value={price}
        onChange={(next) => {
          setPrice(next);
          setPriceError(null);
        }}
        error={priceError ?? serverProblem?.fields.price}
      />

      {submitProblem ? (
        <div className="alert alert-error" role="alert" data-testid="composer-problem">
          <p>{submitProblem}</p>
        </div>
      ) : null}
      <FormAlert problem={serverProblem?.form ?? null} />
      {mutation.isSuccess && mutation.variables.action === "draft" ? (
        <Notice testId="draft-saved">Draft saved. You can come back to it from your drafts.</Notice>
      ) : null}

      <div className="actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={mutation.isPending}
          aria-busy={busyAction === "publish" || undefined}
          aria-describedby={blocker ? `${inputId}-blocker` : undefined}
          data-testid="composer-publish"
        >
          {busyAction === "publish" ? <Spinner label="Publishing…" /> : "Publish"}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => submit("draft")}
          disabled={mutation.isPending}
          aria-busy={busyAction === "draft" || undefined}
          data-testid="composer-save-draft"
        >
          {busyAction === "draft" ? <Spinner label="Saving…" /> : "Save draft"}
        </button>
      </div>
      {blocker ? (
        <p className="field-hint" id={`${inputId}-blocker`}>
          {blocker}
        </p>
      ) : null}
    </form>
  );
}
