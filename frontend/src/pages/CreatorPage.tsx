import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { getCreator } from "../api/creators";
import { ApiError } from "../api/errors";
import { listCreatorMedia, thumbnail } from "../api/media";
import type { CreatorProfile, Media } from "../api/types";
import { useSession } from "../auth/useSession";
import { Avatar } from "../components/Avatar";
import { Dialog } from "../components/Dialog";
import { FollowButton } from "../components/FollowButton";
import { LoadMore } from "../components/LoadMore";
import { MediaImage } from "../components/MediaTile";
import { Empty, ErrorState, Loading } from "../components/states";
import { TipDialog } from "../components/TipDialog";
import { dateTime } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { pagedQuery } from "../queries/hooks";
import { keys } from "../queries/keys";

function MediaGrid({ creator, mine }: { creator: CreatorProfile; mine: boolean }) {
  const query = useInfiniteQuery(
    pagedQuery(
      keys.creatorMedia(creator.handle),
      (args) => listCreatorMedia(creator.handle, args),
      24,
    ),
  );
  const [open, setOpen] = useState<Media | null>(null);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  if (query.isPending) return <Loading label="Loading photos…" />;
  if (query.isError) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (items.length === 0) {
    return (
      <Empty testId="media-grid">
        {mine ? (
          <>
            <p>You haven&apos;t shared any photos yet.</p>
            <Link to="/upload" className="btn btn-primary">
              Upload a photo
            </Link>
          </>
        ) : (
          <p>{creator.display_name} hasn&apos;t shared any photos yet.</p>
        )}
      </Empty>
    );
  }
  const large = open ? thumbnail(open, "960") : null;
  return (
    <>
      <ul className="media-grid" data-testid="media-grid">
        {items.map((media) => (
          <li key={media.id} className="media-item" data-testid={`media-item-${media.id}`}>
            {media.status === "ready" ? (
              <button
                type="button"
                className="media-button"
                onClick={() => setOpen(media)}
                aria-label={`Open photo from ${dateTime(media.created_at)}`}
              >
                <MediaImage media={media} alt="" />
              </button>
            ) : (
              <div className="media-button" data-status={media.status}>
                <MediaImage
                  media={media}
                  alt={
                    media.status === "failed"
                      ? "A photo that could not be processed"
                      : "A photo being processed"
                  }
                />
                <span className="media-status">
                  {media.status === "failed" ? "Failed" : "Processing…"}
                </span>
              </div>
            )}
          </li>
        ))}
      </ul>
      <LoadMore query={query} label="Show more photos" />
      {open && large ? (
        <Dialog title={`Photo by ${creator.display_name}`} onClose={() => setOpen(null)}>
          <img
            className="lightbox-image"
            src={large.url}
            width={large.width}
            height={large.height}
            alt={`Shared by ${creator.display_name}`}
          />
          <p className="muted small">Shared {dateTime(open.ready_at ?? open.created_at)}</p>
        </Dialog>
      ) : null}
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
              <Link to="/upload" className="btn btn-primary">
                Upload a photo
              </Link>
              <Link to="/settings" className="btn btn-ghost">
                Edit profile
              </Link>
            </>
          ) : (
            <>
              <FollowButton creator={creator} />
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => setTipping(true)}
                data-testid="tip-button"
              >
                Send a tip
              </button>
            </>
          )}
        </div>
      </header>
      <h2 className="section-title">Photos</h2>
      <MediaGrid creator={creator} mine={mine} />
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
