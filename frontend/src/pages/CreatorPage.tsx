import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { getCreator } from "../api/creators";
import { ApiError } from "../api/errors";
import type { CreatorProfile } from "../api/types";
import { useSession } from "../auth/useSession";
import { Avatar } from "../components/Avatar";
import { FollowButton } from "../components/FollowButton";
import { LoadMore } from "../components/LoadMore";
import { PostCard } from "../components/posts/PostCard";
import { Empty, ErrorState, Loading } from "../components/states";
import { TipButton, TipDialog } from "../components/TipDialog";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { keys } from "../queries/keys";
import { useCreatorPosts } from "../queries/posts";

/** The creator's published posts, newest first, a page at a time. */
function CreatorPosts({ creator, mine }: { creator: CreatorProfile; mine: boolean }) {
  const query = useCreatorPosts(creator.handle);
  const posts = query.data?.pages.flatMap((page) => page.items) ?? [];

  if (query.isPending) return <Loading label="Loading posts…" />;
  if (query.isError) {
    return (
      <ErrorState
        title="Couldn't load the posts."
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (posts.length === 0) {
    return (
      <Empty testId="post-list">
        {mine ? (
          <>
            <p>You haven&apos;t posted anything yet.</p>
            <Link to="/upload" className="btn btn-primary">
              Write a post
            </Link>
          </>
        ) : (
          <p>{creator.display_name} hasn&apos;t posted anything yet.</p>
        )}
      </Empty>
    );
  }
  return (
    <>
      <ul className="post-list" data-testid="post-list">
        {posts.map((post) => (
          <li key={post.id}>
            <PostCard post={post} />
          </li>
        ))}
      </ul>
      <LoadMore query={query} label="Show more posts" />
    </>
  );
}

export function CreatorPage() {
  const { handle = "" } = useParams();
  const { user } = useSession();
  const [tipping, setTipping] = useState(false);
  const query = useQuery({
    queryKey: keys.creator(handle),
    queryFn: ({ signal }) => getCreator(handle, signal),
  });
  useDocumentTitle(query.data ? `${query.data.display_name} (@${query.data.handle})` : "Creator");

  if (query.isPending) return <Loading label="Loading the creator…" />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <section className="card narrow" data-testid="creator-not-found">
          <h1>Creator not found</h1>
          <p>There is no creator called @{handle}. The handle may have changed.</p>
          <Link to="/creators" className="btn btn-primary">
            Browse creators
          </Link>
        </section>
      );
    }
    return (
      <section className="page">
        <ErrorState
          title="Couldn't load this creator."
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      </section>
    );
  }

  const creator = query.data;
  const mine = user?.id === creator.id;
  return (
    <section className="page page-wide" data-testid="creator-profile">
      <header className="profile-header">
        <Avatar name={creator.display_name} url={creator.avatar_url} size={96} />
        <div className="profile-text">
          <h1>{creator.display_name}</h1>
          <p className="muted">@{creator.handle}</p>
          <dl className="stats">
            <div>
              <dt>Followers</dt>
              <dd data-testid="follower-count">{creator.follower_count}</dd>
            </div>
            <div>
              <dt>Photos</dt>
              <dd data-testid="media-count">{creator.media_count}</dd>
            </div>
          </dl>
          {creator.bio ? <p className="profile-bio">{creator.bio}</p> : null}
        </div>
        <div className="profile-actions">
          {mine ? (
            <>
              <Link to="/upload" className="btn btn-primary" data-testid="new-post-link">
                New post
              </Link>
              <Link to="/settings" className="btn btn-ghost">
                Edit profile
              </Link>
            </>
          ) : (
            <>
              <FollowButton creator={creator} />
              <TipButton onClick={() => setTipping(true)} />
            </>
          )}
        </div>
      </header>
      <h2 className="section-title">Posts</h2>
      <CreatorPosts creator={creator} mine={mine} />
      {tipping ? (
        <TipDialog
          handle={creator.handle}
          name={creator.display_name}
          onClose={() => setTipping(false)}
        />
      ) : null}
    </section>
  );
}
