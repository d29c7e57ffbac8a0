import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Link, useLocation } from "react-router";
import { errorMessage } from "../../api/errors";
import { likePost, unlikePost, type Post } from "../../api/posts";
import type { AuthRedirectState } from "../../auth/redirect";
import { useSession } from "../../auth/useSession";
import { updateCachedPost } from "../../queries/posts";

function likes(count: number): string {
  return `${count} ${count === 1 ? "like" : "likes"}`;
}

/** Where a signed-out visitor goes to sign in, and comes back from. */
export function useSignInState(): AuthRedirectState {
  const location = useLocation();
  return { from: location.pathname + location.search };
}

/**
 * Like / unlike at once (optimistic), then the server's count. PUT and DELETE are
 * idempotent, so quick toggling is safe: only the answer to the latest click is applied,
 * and a failure puts back what the server last said.
 */
export function LikeButton({ post }: { post: Post }) {
  const { status } = useSession();
  const client = useQueryClient();
  const signIn = useSignInState();
  const latest = useRef(0);
  // What the server last confirmed, for rolling back.
  const confirmed = useRef({ liked: post.liked_by_me, like_count: post.like_count });

  const mutation = useMutation({
    mutationFn: ({ like }: { like: boolean; seq: number }) =>
      like ? likePost(post.id) : unlikePost(post.id),
    onMutate: ({ like }) => {
      updateCachedPost(client, post.id, (p) =>
        p.liked_by_me === like
          ? p
          : { ...p, liked_by_me: like, like_count: Math.max(0, p.like_count + (like ? 1 : -1)) },
      );
    },
    onSuccess: (result, { seq }) => {
      confirmed.current = { liked: result.liked, like_count: result.like_count };
      if (seq !== latest.current) return;
      updateCachedPost(client, post.id, (p) => ({
        ...p,
        liked_by_me: result.liked,
        like_count: result.like_count,
      }));
    },
    onError: (_error, { seq }) => {
      if (seq !== latest.current) return;
      const { liked, like_count } = confirmed.current;
      updateCachedPost(client, post.id, (p) => ({ ...p, liked_by_me: liked, like_count }));
    },
  });

  if (status !== "signed-in") {
    return (
      <span className="like">
        <Link
          to="/login"
          state={signIn}
          className="btn btn-small btn-ghost"
          data-testid="sign-in-to-like"
        >
          Sign in to like
        </Link>
        <span className="muted small" data-testid="like-count">
          {likes(post.like_count)}
        </span>
      </span>
    );
  }

  const toggle = () => {
    latest.current += 1;
    mutation.mutate({ like: !post.liked_by_me, seq: latest.current });
  };
  return (
    <span className="like">
      <button
        type="button"
        className="btn btn-small btn-ghost like-button"
        aria-pressed={post.liked_by_me}
        onClick={toggle}
        data-testid="like-button"
      >
        <span aria-hidden="true">{post.liked_by_me ? "♥" : "♡"}</span> Like
      </button>
      <span className="muted small" data-testid="like-count" aria-live="polite">
        {likes(post.like_count)}
      </span>
      {mutation.isError ? (
        <span className="field-error small" role="alert" data-testid="like-error">
          {errorMessage(mutation.error)}
        </span>
      ) : null}
    </span>
  );
}
