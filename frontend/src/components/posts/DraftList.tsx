import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { photoThumbnail, type Post } from "../../api/posts";
import { timeAgo } from "../../lib/format";
import { useMyPosts } from "../../queries/posts";
import { LoadMore } from "../LoadMore";
import { Empty, ErrorState, Loading } from "../states";
import { DeletePostDialog } from "./PostDialogs";
import "./posts.css";

function photos(n: number): string {
  return `${n} ${n === 1 ? "photo" : "photos"}`;
}

/** The creator's saved drafts, newest first, each with Continue and Delete. */
export function DraftList({ editing }: { editing?: string | null }) {
  const query = useMyPosts("draft");
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState<Post | null>(null);
  const drafts = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="card" aria-labelledby="drafts-title">
      <h2 id="drafts-title">Drafts</h2>
      {query.isPending ? (
        <Loading label="Loading your drafts…" />
      ) : query.isError ? (
        <ErrorState
          title="Couldn't load your drafts."
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : drafts.length === 0 ? (
        <Empty testId="draft-list">
          <p>No drafts. Save draft keeps a post here until you publish it.</p>
        </Empty>
      ) : (
        <>
          <ul className="draft-list" data-testid="draft-list">
            {drafts.map((draft) => {
              const first = draft.photos[0] ? photoThumbnail(draft.photos[0], "320") : null;
              const title = draft.caption.split("\n", 1)[0] || "No caption";
              return (
                <li key={draft.id} className="draft-item" data-testid={`draft-${draft.id}`}>
                  {first ? (
                    <img src={first.url} alt="" width={64} height={64} />
                  ) : (
                    <span className="draft-thumb" aria-hidden="true" />
                  )}
                  <span>
                    <strong>{title}</strong>
                    <span className="muted small">
                      {" "}
                      · {photos(draft.photos.length)} · saved {timeAgo(draft.created_at)}
                    </span>
                  </span>
                  <span className="actions">
                    {editing === draft.id ? (
                      <span className="muted small">Editing</span>
                    ) : (
                      <Link
                        to={`/upload?draft=${encodeURIComponent(draft.id)}`}
                        className="btn btn-small"
                        aria-label={`Continue the draft “${title}”`}
                      >
                        Continue
                      </Link>
                    )}
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => setDeleting(draft)}
                      aria-label={`Delete the draft “${title}”`}
                    >
                      Delete
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
          <LoadMore query={query} label="Show more drafts" />
        </>
      )}
      {deleting ? (
        <DeletePostDialog
          post={deleting}
          onClose={() => setDeleting(null)}
          // The draft being edited is gone: start afresh.
          onDeleted={deleting.id === editing ? () => void navigate("/upload") : undefined}
        />
      ) : null}
    </section>
  );
}
