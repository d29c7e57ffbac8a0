import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../api/errors";
import { getPost } from "../api/posts";
import type { User } from "../api/types";
import { useSession } from "../auth/useSession";
import { Composer } from "../components/posts/Composer";
import { DraftList } from "../components/posts/DraftList";
import { ErrorState, Loading } from "../components/states";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { postKeys } from "../queries/posts";

/** Continue a saved draft (`/upload?draft=<id>`): load it, then the composer starts from it. */
function DraftComposer({ user, id }: { user: User; id: string }) {
  const query = useQuery({
    queryKey: postKeys.one(id),
    queryFn: ({ signal }) => getPost(id, signal),
    // Start from what the server has now, not a copy from earlier.
    staleTime: 0,
  });
  if (query.isPending) return <Loading label="Loading your draft…" />;
  if (query.isError || query.data.status !== "draft") {
    const gone =
      (query.error instanceof ApiError && query.error.status === 404) ||
      query.data?.status === "published";
    return (
      <div data-testid="draft-missing">
        {gone ? (
          <p>That draft is no longer there; it may have been published or deleted.</p>
        ) : (
          <ErrorState
            title="Couldn't load this draft."
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        )}
        <Link to="/upload" className="btn btn-primary">
          Start a new post
        </Link>
      </div>
    );
  }
  return <Composer key={id} user={user} draft={query.data} />;
}

/** The post composer (`/upload`): photos, caption, price, then Publish or Save draft. */
export function UploadPage() {
  const [params] = useSearchParams();
  const draftId = params.get("draft");
  useDocumentTitle(draftId ? "Edit draft" : "New post");
  const { user } = useSession();
  if (!user) return null; // RequireAuth renders this page only when signed in.
  return (
    <section className="page" data-testid="upload-page">
      <header className="page-header">
        <h1>{draftId ? "Edit draft" : "New post"}</h1>
        <p className="muted">
          Your followers see it in their feed once you publish it.
          {draftId ? (
            <>
              {" "}
              <Link to="/upload">Start a new post instead</Link>
            </>
          ) : null}
        </p>
      </header>
      {user.role === "creator" ? (
        <>
          <div className="card">
            {draftId ? (
              <DraftComposer user={user} id={draftId} />
            ) : (
              <Composer key="new" user={user} />
            )}
          </div>
          <DraftList editing={draftId} />
        </>
      ) : (
        <div className="empty-state" data-testid="upload-creators-only">
          <p>Only creators can post photos.</p>
          <Link to="/creators" className="btn btn-primary">
            Discover creators
          </Link>
        </div>
      )}
    </section>
  );
}
