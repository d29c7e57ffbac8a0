/** The creator's payouts, newest first, with their status. */
import type { PayoutStatus } from "../../api/types";
import { LoadMore } from "../../components/LoadMore";
import { Empty, ErrorState, Loading } from "../../components/states";
import { dateTime, money, tokens } from "../../lib/format";
import { usePayouts } from "../../queries/payouts";

export const PAYOUT_STATUS_LABEL: Record<PayoutStatus, string> = {
  requested: "Requested",
  in_transit: "In transit",
  paid: "Paid",
  failed: "Failed",
  reversed: "Reversed",
};

export function Payouts() {
  const query = usePayouts();
  const payouts = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="dash-payouts-title">
      <h2 id="dash-payouts-title">Payouts</h2>
      {query.isPending ? (
        <Loading label="Loading your payouts…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : payouts.length === 0 ? (
        <Empty testId="payouts-list">
          <p>No payouts yet.</p>
        </Empty>
      ) : (
        <>
          <ul className="rows" data-testid="payouts-list">
            {payouts.map((payout) => (
              <li key={payout.id} className="row" data-testid={`payout-${payout.id}`}>
                <span>
                  <strong>{money(payout.amount_cents, payout.currency)}</strong>{" "}
                  <span className="muted small">
                    {tokens(payout.tokens)} · {dateTime(payout.created_at)}
                  </span>
                  {payout.failure_message ? (
                    <span className="field-error small"> {payout.failure_message}</span>
                  ) : null}
                </span>
                <span
                  className={`status status-${payout.status}`}
                  data-testid="payout-status"
                  data-status={payout.status}
                >
                  {PAYOUT_STATUS_LABEL[payout.status]}
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
