import { Link } from "react-router";
import type { CreatorSummary } from "../api/types";
import { Avatar } from "./Avatar";

function followers(count: number): string {
  return `${count} follower${count === 1 ? "" : "s"}`;
}

/** A creator in a list: picture, name, handle, followers; the whole card links to the profile. */
export function CreatorCard({ creator, testId }: { creator: CreatorSummary; testId?: string }) {
  return (
    <Link
      to={`/creators/${encodeURIComponent(creator.handle)}`}
      className="creator-card"
      data-testid={testId ?? `creator-card-${creator.handle}`}
    >
      <Avatar name={creator.display_name} url={creator.avatar_url} size={48} />
      <span className="creator-card-text">
        <strong className="creator-card-name">{creator.display_name}</strong>
        <span className="muted">@{creator.handle}</span>
        <span className="muted small">{followers(creator.follower_count)}</span>
        {creator.bio ? <span className="creator-card-bio">{creator.bio}</span> : null}
      </span>
    </Link>
  );
}
