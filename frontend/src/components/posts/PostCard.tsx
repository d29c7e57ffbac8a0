import { useEffect, useId, useRef, useState, type Ref } from "react";
import { Link } from "react-router";
import { photoThumbnail, type Post, type UnlockResult } from "../../api/posts";
import { useSession } from "../../auth/useSession";
import { dateTime, timeAgo, tokens } from "../../lib/format";
import { Avatar } from "../Avatar";
import { LikeButton, useSignInState } from "./LikeButton";
import { DeletePostDialog, EditPostDialog } from "./PostDialogs";
import { UnlockDialog } from "./UnlockDialog";
import "./posts.css";

function photos(n: number): string {
  return `${n} ${n === 1 ? "photo" : "photos"}`;
}

/** The caption as written: each line break is a line break (the text is never HTML). */
export function Caption({ text, testId = "post-caption" }: { text: string; testId?: string }) {
  if (!text) return null;
  const lines = text.split("\n");
  return (
    <p className="post-caption" data-testid={testId}>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </p>
  );
}

/** The photos in the author's order, stacked; the 960 px thumbnail for wide screens. */
function Photos({ post, listRef }: { post: Post; listRef: Ref<HTMLUListElement> }) {
  const total = post.photos.length;
  return (
    <ul
      ref={listRef}
      className={total > 1 ? "post-photos post-photos-many" : "post-photos"}
      aria-label={`${photos(total)} by ${post.author.display_name}`}
      tabIndex={-1}
      data-testid="post-photos"
    >
      {post.photos.map((photo, i) => {
        const small = photoThumbnail(photo, "320");
        const large = photoThumbnail(photo, "960");
        if (!large) return null;
        return (
          <li key={photo.media_id} className="post-photo">
            <img
              src={large.url}
              srcSet={
                small && small.url !== large.url
                  ? `${small.url} ${small.width}w, ${large.url} ${large.width}w`
                  : undefined
              }
              sizes="(max-width: 40rem) 100vw, 40rem"
              width={large.width}
              height={large.height}
              alt={`${post.author.display_name}'s post, ${i + 1} of ${total}`}
              loading="lazy"
              decoding="async"
              data-testid="post-photo"
            />
          </li>
        );
      })}
    </ul>
  );
}

/** A locked post: the blurred preview, how many photos, and the way to unlock it. */
function Locked({ post, onUnlock }: { post: Post; onUnlock: () => void }) {
  const { status } = useSession();
  const signIn = useSignInState();
  const count = post.photo_count;
  return (
    <div className="post-locked" data-testid="post-locked">
      <div className="post-preview">
        {post.preview ? (
          <img
            src={post.preview.url}
            width={post.preview.width}
            height={post.preview.height}
            alt=""
            data-testid="post-preview"
          />
        ) : (
          <span className="post-preview-placeholder" aria-hidden="true" />
        )}
        <div className="post-locked-text">
          <p>
            <span aria-hidden="true">🔒 </span>
            <span data-testid="post-photo-count">{photos(count)}</span>
            <span className="visually-hidden">, locked</span>
          </p>
          {status === "signed-in" ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={onUnlock}
              data-testid="unlock-button"
            >
              Unlock for {tokens(post.price)}
            </button>
          ) : (
            <Link
              to="/login"
              state={signIn}
              className="btn btn-primary"
              data-testid="sign-in-to-unlock"
            >
              Sign in to unlock
            </Link>
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * One post: author and time, its photos (or, locked, a blurred preview and Unlock), the
 * caption with its line breaks, likes, and for the author Edit and Delete. The creator page
 * lists these; the feed can too (`showAuthor`).
 */
export function PostCard({ post, showAuthor = false }: { post: Post; showAuthor?: boolean }) {
  const { user } = useSession();
  const titleId = useId();
  const mine = user?.id === post.author.id;
  const [dialog, setDialog] = useState<"edit" | "delete" | "unlock" | null>(null);
  const [unlocked, setUnlocked] = useState<UnlockResult | null>(null);
  const photosRef = useRef<HTMLUListElement>(null);
  const when = post.published_at ?? post.created_at;

  // Once unlocked, focus moves to the photos that have just appeared.
  useEffect(() => {
    if (unlocked && !post.locked) photosRef.current?.focus();
  }, [unlocked, post.locked]);

  const onUnlocked = (result: UnlockResult) => {
    setDialog(null);
    setUnlocked(result);
  };

  return (
    <article
      className="card post"
      aria-labelledby={titleId}
      data-testid={`post-${post.id}`}
      data-locked={post.locked ? "true" : "false"}
    >
      <header className="post-header">
        {showAuthor ? (
          <Link to={`/creators/${encodeURIComponent(post.author.handle)}`} className="post-author">
            <Avatar name={post.author.display_name} url={post.author.avatar_url} size={32} />
            <strong>{post.author.display_name}</strong>
          </Link>
        ) : null}
        <h3 id={titleId} className="visually-hidden">
          Post by {post.author.display_name}, {dateTime(when)}
        </h3>
        <time className="muted small" dateTime={when} title={dateTime(when)}>
          {post.status === "draft" ? "Draft, saved " : null}
          {timeAgo(when)}
        </time>
        {post.price > 0 && !post.locked ? (
          <span className="post-badge" data-testid="post-price-badge">
            {mine ? `Locked for ${tokens(post.price)}` : "Unlocked"}
          </span>
        ) : null}
      </header>

      {post.locked ? (
        <Locked post={post} onUnlock={() => setDialog("unlock")} />
      ) : (
        <Photos post={post} listRef={photosRef} />
      )}
      {unlocked && !post.locked ? (
        <p className="alert alert-success" role="status" data-testid="unlock-success">
          Unlocked. Your balance is now {tokens(unlocked.balance)}.
        </p>
      ) : null}

      <Caption text={post.caption} />

      <footer className="post-footer">
        {post.status === "published" ? <LikeButton post={post} /> : null}
        {mine ? (
          <span className="post-actions">
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => setDialog("edit")}
              data-testid="post-edit"
            >
              Edit
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => setDialog("delete")}
              data-testid="post-delete"
            >
              Delete
            </button>
          </span>
        ) : null}
      </footer>

      {dialog === "edit" ? <EditPostDialog post={post} onClose={() => setDialog(null)} /> : null}
      {dialog === "delete" ? (
        <DeletePostDialog post={post} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === "unlock" ? (
        <UnlockDialog post={post} onClose={() => setDialog(null)} onUnlocked={onUnlocked} />
      ) : null}
    </article>
  );
}
