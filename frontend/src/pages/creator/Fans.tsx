/** Who supports the creator: recent tips with their messages, and the top supporters. */
import { Avatar } from "../../components/Avatar";
import { LoadMore } from "../../components/LoadMore";
import { Empty, ErrorState, Loading } from "../../components/states";
import { timeAgo, tokens } from "../../lib/format";
import { useReceivedTips, useSupporters } from "../../queries/payouts";

export function RecentTips() {
  const query = useReceivedTips(10);
  const tips = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="dash-tips-title">
      <h2 id="dash-tips-title">Recent tips</h2>
      {query.isPending ? (
        <Loading label="Loading tips…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : tips.length === 0 ? (
        <Empty testId="received-tips">
          <p>No tips yet. Share your profile with your fans!</p>
        </Empty>
      ) : (
        <>
          <ul className="notice-list compact" data-testid="received-tips">
            {tips.map((tip) => (
              <li key={tip.id} className="notice">
                <Avatar name={tip.fan.display_name} url={tip.fan.avatar_url} size={32} />
                <span>
                  <strong>{tip.fan.display_name}</strong> tipped {tokens(tip.amount)}
                  {tip.message ? <>: “{tip.message}”</> : null}
                  <span className="muted small"> · {timeAgo(tip.created_at)}</span>
                </span>
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </>
      )}
    </section>
  );
}

export function TopSupporters() {
  const query = useSupporters(5);
  return (
    <section className="card" aria-labelledby="dash-supporters-title">
      <h2 id="dash-supporters-title">Top supporters</h2>
      {query.isPending ? (
        <Loading label="Loading supporters…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Empty testId="top-supporters">
          <p>Your biggest supporters will show up here.</p>
        </Empty>
      ) : (
        <ol className="following-list" data-testid="top-supporters">
          {query.data.items.map((supporter) => (
            <li key={supporter.user.id} className="following-item">
              <Avatar
                name={supporter.user.display_name}
                url={supporter.user.avatar_url}
                size={32}
              />
              <span>
                <strong>{supporter.user.display_name}</strong>
                <span className="muted small">
                  {" "}
                  {tokens(supporter.tokens)} · {supporter.times}{" "}
                  {supporter.times === 1 ? "time" : "times"}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
