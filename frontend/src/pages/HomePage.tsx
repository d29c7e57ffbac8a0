import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { listCreators } from "../api/creators";
import type { CreatorSort } from "../api/types";
import { useSession } from "../auth/useSession";
import { CreatorCard } from "../components/CreatorCard";
import { ErrorState, Loading } from "../components/states";
import { useDocumentTitle } from "../lib/useDocumentTitle";

const SHOWN = 6;

/** A short row of creators (most followed, or newest) for visitors to start from. */
function CreatorRow({ title, sort, testId }: { title: string; sort: CreatorSort; testId: string }) {
  const query = useQuery({
    queryKey: ["creators", "home", sort],
    queryFn: ({ signal }) => listCreators({ sort, limit: SHOWN, signal }),
  });
  const headingId = `${testId}-title`;
  return (
    <section className="home-section" aria-labelledby={headingId} data-testid={testId}>
      <div className="page-header page-header-row">
        <h2 id={headingId}>{title}</h2>
        <Link to={sort === "new" ? "/creators?sort=new" : "/creators"}>See all</Link>
      </div>
      {query.isPending ? (
        <Loading label="Loading creators…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <p className="muted">No creators yet.</p>
      ) : (
        <ul className="creator-grid">
          {query.data.items.map((creator) => (
            <li key={creator.id}>
              <CreatorCard creator={creator} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function HomePage() {
  useDocumentTitle();
  const { status, user } = useSession();
  const signedIn = status === "signed-in" && user;
  return (
    <>
      <section className="hero" data-testid="home">
        <h1>Support the creators you love.</h1>
        <p className="lead">
          Follow creators, see their photos first, and tip them with tokens. Creators share their
          work and get paid by the people who enjoy it.
        </p>
        <div className="actions">
          {signedIn ? (
            <Link to="/dashboard" className="btn btn-primary btn-large">
              Continue as {user.display_name}
            </Link>
          ) : (
            <>
              <Link to="/signup" className="btn btn-primary btn-large">
                Create an account
              </Link>
              <Link to="/login" className="btn btn-ghost btn-large">
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>
      {signedIn ? null : (
        <div className="page page-wide">
          <CreatorRow title="Featured creators" sort="popular" testId="home-featured" />
          <CreatorRow title="New on Digis" sort="new" testId="home-newest" />
        </div>
      )}
    </>
  );
}
