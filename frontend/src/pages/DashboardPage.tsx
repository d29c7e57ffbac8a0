import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { getFeed, listFollowing } from "../api/creators";
import { listNotifications } from "../api/notifications";
import { useSession } from "../auth/useSession";
import { Avatar } from "../components/Avatar";
import { LoadMore } from "../components/LoadMore";
import { PostCard } from "../components/posts/PostCard";
import { describeNotification, notificationImage } from "../components/NotificationText";
import { Empty, ErrorState, Loading } from "../components/states";
import { timeAgo } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { pagedQuery, useWallet } from "../queries/hooks";
import { keys } from "../queries/keys";
import { POST_GC_MS, POST_STALE_MS } from "../queries/posts";
import { CreatorMain, CreatorSide } from "./CreatorDashboard";

const ROLE_LABEL = { fan: "Fan", creator: "Creator", admin: "Admin" } as const;

function Balance({ creator }: { creator: boolean }) {
  const wallet = useWallet();
  return (
    <section className="card dash-balance" aria-labelledby="dash-balance-title">
      <h2 id="dash-balance-title">{creator ? "Your wallet" : "Your tokens"}</h2>
      {wallet.isPending ? (
        <Loading label="Loading your balance…" />
      ) : wallet.isError ? (
        <ErrorState error={wallet.error} onRetry={() => void wallet.refetch()} />
      ) : (
        <>
          <p className="big-number">
            <span data-testid="dashboard-balance">{wallet.data.balance}</span>{" "}
            <span className="muted">tokens</span>
          </p>
          {wallet.data.balance < 0 ? (
            <p className="muted">
              You owe {-wallet.data.balance} tokens after a refund; new tokens pay that back first.
            </p>
          ) : null}
          {creator ? (
            <Link to="/wallet">See your wallet</Link>
          ) : (
            <Link to="/wallet" className="btn btn-primary">
              Buy tokens
            </Link>
          )}
        </>
      )}
    </section>
  );
}

function Following() {
  const query = useInfiniteQuery(pagedQuery(keys.following, listFollowing, 12));
  const creators = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="dash-following-title">
      <h2 id="dash-following-title">Following</h2>
      {query.isPending ? (
        <Loading label="Loading who you follow…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : creators.length === 0 ? (
        <Empty testId="dashboard-following">
          <p>You don&apos;t follow anyone yet.</p>
          <Link to="/creators" className="btn btn-primary">
            Find creators
          </Link>
        </Empty>
      ) : (
        <>
          <ul className="following-list" data-testid="dashboard-following">
            {creators.map((creator) => (
              <li key={creator.id}>
                <Link
                  to={`/creators/${encodeURIComponent(creator.handle)}`}
                  className="following-item"
                  data-testid={`following-item-${creator.handle}`}
                >
                  <Avatar name={creator.display_name} url={creator.avatar_url} size={40} />
                  <span>
                    <strong>{creator.display_name}</strong>
                    <span className="muted small"> @{creator.handle}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </>
      )}
    </section>
  );
}

/** The followed creators' published posts, newest first; locked ones as their preview. */
function Feed() {
  const query = useInfiniteQuery({
    ...pagedQuery(keys.feed, getFeed, 12),
    // Locked posts' photo URLs are signed and short-lived: refetch rather than keep.
    staleTime: POST_STALE_MS,
    gcTime: POST_GC_MS,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="dash-feed-title">
      <h2 id="dash-feed-title">Latest from the creators you follow</h2>
      {query.isPending ? (
        <Loading label="Loading your feed…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <Empty testId="dashboard-feed">
          <p>New posts from the creators you follow will show up here.</p>
        </Empty>
      ) : (
        <>
          <ul className="post-list" data-testid="dashboard-feed">
            {items.map(({ post }) => (
              <li key={post.id} data-testid={`feed-item-${post.id}`}>
                <PostCard post={post} showAuthor />
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </>
      )}
    </section>
  );
}

function LatestNotifications() {
  const query = useQuery({
    queryKey: [...keys.notificationList(false), "latest"],
    queryFn: ({ signal }) => listNotifications({ limit: 5, signal }),
  });
  return (
    <section className="card" aria-labelledby="dash-notifications-title">
      <h2 id="dash-notifications-title">Latest notifications</h2>
      {query.isPending ? (
        <Loading label="Loading notifications…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Empty testId="dashboard-notifications">
          <p>No notifications yet.</p>
        </Empty>
      ) : (
        <>
          <ul className="notice-list compact" data-testid="dashboard-notifications">
            {query.data.items.map((notification) => {
              const image = notificationImage(notification);
              return (
                <li
                  key={notification.id}
                  className="notice"
                  data-unread={notification.read_at === null ? "true" : undefined}
                >
                  {image ? <img src={image} alt="" width={40} height={40} /> : null}
                  <span>
                    {describeNotification(notification)}
                    <span className="muted small"> · {timeAgo(notification.created_at)}</span>
                  </span>
                </li>
              );
            })}
          </ul>
          <Link to="/notifications">See all notifications</Link>
        </>
      )}
    </section>
  );
}

export function DashboardPage() {
  useDocumentTitle("Dashboard");
  const { user } = useSession();
  if (!user) return null; // RequireAuth renders this page only when signed in.
  const creator = user.role === "creator";
  return (
    <section className="page page-wide" data-testid="dashboard">
      <header className="page-header">
        <h1 data-testid="dashboard-welcome">Welcome, {user.display_name}</h1>
        <p className="muted">
          @{user.handle} · {ROLE_LABEL[user.role]}
        </p>
      </header>
      <div className="dashboard-grid">
        <div className="dashboard-main">{creator ? <CreatorMain /> : <Feed />}</div>
        <div className="dashboard-side">
          {creator ? <CreatorSide /> : null}
          <Balance creator={creator} />
          {creator ? null : <Following />}
          <LatestNotifications />
        </div>
      </div>
    </section>
  );
}
