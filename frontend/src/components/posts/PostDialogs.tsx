import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { deletePost, updatePost, type Post, type PostChanges } from "../../api/posts";
import { errorMessages, serverErrors } from "../../lib/formErrors";
import { keys } from "../../queries/keys";
import { postKeys, removeCachedPost, replaceCachedPost } from "../../queries/posts";
import { Dialog } from "../Dialog";
import { Spinner } from "../feedback";
import { CaptionField, parsePrice, PriceField, priceInput } from "./PostFields";

function photos(n: number): string {
  return `${n} ${n === 1 ? "photo" : "photos"}`;
}

/** The author edits the caption and, as allowed, the price (a published free post stays free). */
export function EditPostDialog({ post, onClose }: { post: Post; onClose: () => void }) {
  const client = useQueryClient();
  const [caption, setCaption] = useState(post.caption);
  const [price, setPrice] = useState(priceInput(post.price));
  const [priceError, setPriceError] = useState<string | null>(null);
  const freeOnly = post.status === "published" && post.price === 0;
  const mutation = useMutation({
    mutationFn: (changes: PostChanges) => updatePost(post.id, changes),
    onSuccess: (updated) => {
      replaceCachedPost(client, updated);
      void client.invalidateQueries({ queryKey: postKeys.all });
      onClose();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parsePrice(price);
    if ("error" in parsed) {
      setPriceError(parsed.error);
      return;
    }
    setPriceError(null);
    const changes: PostChanges = {};
    if (caption !== post.caption) changes.caption = caption;
    if (parsed.price !== post.price) changes.price = parsed.price;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    mutation.mutate(changes);
  }

  const fields = mutation.isError
    ? serverErrors(mutation.error, ["caption", "price"] as const).fields
    : {};
  return (
    <Dialog title="Edit post" onClose={onClose} testId="post-edit-dialog">
      <form onSubmit={onSubmit} noValidate>
        <CaptionField value={caption} onChange={setCaption} error={fields.caption} focusFirst />
        <PriceField
          value={price}
          onChange={(next) => {
            setPrice(next);
            setPriceError(null);
          }}
          error={priceError ?? fields.price}
          freeOnly={freeOnly}
        />
        {mutation.isError && !fields.caption && !fields.price ? (
          <div className="alert alert-error" role="alert" data-testid="post-edit-error">
            {errorMessages(mutation.error, ["caption", "price"]).map((text) => (
              <p key={text}>{text}</p>
            ))}
          </div>
        ) : null}
        <div className="actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={mutation.isPending}
            aria-busy={mutation.isPending || undefined}
            data-testid="post-edit-save"
          >
            {mutation.isPending ? <Spinner label="Saving…" /> : "Save"}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Deleting is final: the photos go too, and so does the access of fans who paid for it. */
export function DeletePostDialog({
  post,
  onClose,
  onDeleted,
}: {
  post: Post;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => deletePost(post.id),
    onSuccess: () => {
      removeCachedPost(client, post.id);
      void client.invalidateQueries({ queryKey: postKeys.all });
      void client.invalidateQueries({ queryKey: keys.creator(post.author.handle) });
      onClose();
      onDeleted?.();
    },
  });
  const draft = post.status === "draft";
  return (
    <Dialog
      title={draft ? "Delete this draft?" : "Delete this post?"}
      onClose={onClose}
      testId="post-delete-dialog"
    >
      <p>Its {photos(post.photo_count)} will be removed too. This cannot be undone.</p>
      {post.price > 0 && !draft ? (
        <p data-testid="post-delete-unlocked-warning">
          Fans who unlocked it will lose access to it.
        </p>
      ) : null}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert" data-testid="post-delete-error">
          {errorMessages(mutation.error, []).map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => mutation.mutate()}
          disabled={mutation.isPending}
          aria-busy={mutation.isPending || undefined}
          data-testid="post-delete-confirm"
        >
          {mutation.isPending ? (
            <Spinner label="Deleting…" />
          ) : draft ? (
            "Delete draft"
          ) : (
            "Delete post"
          )}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose} data-autofocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
