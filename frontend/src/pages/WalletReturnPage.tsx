import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../api/errors";
import type { Purchase } from "../api/types";
import { abandonPurchase, getPurchase } from "../api/wallet";
import { Spinner } from "../components/feedback";
import { ErrorState } from "../components/states";
import { tokens } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { keys } from "../queries/keys";

/** Ask every second, for about a minute. */
export const POLL_MS = 1000;
// After the first ten seconds (the webhook is usually there in one), poll gently: the
// status route allows 120 reads per 15 minutes.
export const SLOW_POLL_MS = 3000;
const FAST_POLLS = 10;
export const POLL_FOR_MS = 60_000;

type Shown = "pending" | "paid" | "failed";

function stateOf(purchase: Purchase | undefined, cancelled: boolean): Shown {
  if (purchase?.status === "paid" || purchase?.status === "partially_refunded") return "paid";
  if (purchase && ["refunded", "disputed"].includes(purchase.status)) return "paid";
  if (cancelled || purchase?.status === "failed" || purchase?.status === "expired") {
    return "failed";
  }
  return "pending";
}

/**
 * Where the checkout sends the browser back: `?purchase=<id>&session_id=...` after paying, or
 * `&cancelled=1`. The payment counts once the webhook has credited it, so poll until then.
 */
export function WalletReturnPage() {
  useDocumentTitle("Payment");
  const [params] = useSearchParams();
  const purchaseId = params.get("purchase") ?? "";
  const cancelled = params.get("cancelled") === "1";
  const client = useQueryClient();
  const [deadline, setDeadline] = useState(() => Date.now() + POLL_FOR_MS);
  const [gaveUp, setGaveUp] = useState(false);

  const query = useQuery({
    queryKey: keys.payment(purchaseId),
    queryFn: ({ signal }) => getPurchase(purchaseId, signal),
    enabled: purchaseId !== "",
    staleTime: 0,
    retry: (failures, error) => failures < 3 && !(error instanceof ApiError && error.status < 500),
    refetchInterval: (q) => {
      if (cancelled || gaveUp) return false;
      if (q.state.data !== undefined && q.state.data.status !== "pending") return false;
      return q.state.dataUpdateCount < FAST_POLLS ? POLL_MS : SLOW_POLL_MS;
    },
  });
  const state = stateOf(query.data, cancelled);

  // Back from the checkout's cancel link: close the checkout so that it can't be paid later
  // and the purchase ends `expired` in the wallet too (a purchase paid meanwhile stays paid).
  useEffect(() => {
    if (!cancelled || !purchaseId) return;
    abandonPurchase(purchaseId).then(
      (purchase) => {
        client.setQueryData(keys.payment(purchaseId), purchase);
        // The purchases lists; this purchase's own entry was just set.
        void client.invalidateQueries({
          queryKey: keys.payments,
          predicate: (q) => q.queryKey[1] !== "one",
        });
      },
      () => undefined, // the checkout still expires on its own within half an hour
    );
  }, [cancelled, purchaseId, client]);

  useEffect(() => {
    if (state !== "pending" || cancelled) return;
    const timer = setTimeout(() => setGaveUp(true), Math.max(0, deadline - Date.now()));
    return () => clearTimeout(timer);
  }, [state, cancelled, deadline]);

  useEffect(() => {
    if (state !== "paid") return;
    void client.invalidateQueries({ queryKey: keys.wallet });
    void client.invalidateQueries({ queryKey: keys.payments });
  }, [state, client]);

  if (!purchaseId) {
    return (
      <section className="card narrow" data-testid="purchase-status" data-state="failed">
        <h1>Payment</h1>
        <p>This page needs a purchase to look up. Start from your wallet.</p>
        <Link to="/wallet" className="btn btn-primary">
          Go to your wallet
        </Link>
      </section>
    );
  }

  const purchase = query.data;
  return (
    <section className="card narrow" aria-labelledby="payment-title">
      <h1 id="payment-title">
        {state === "paid"
          ? "Payment received"
          : state === "failed"
            ? "Payment not completed"
            : "Confirming your payment"}
      </h1>
      <div data-testid="purchase-status" data-state={state} role="status" aria-live="polite">
        {state === "paid" ? (
          <div className="alert alert-success">
            <p>{purchase ? tokens(purchase.tokens) : "Your tokens"} added to your wallet.</p>
            {purchase && purchase.status !== "paid" && purchase.status !== "pending" ? (
              <p className="muted">
                This payment has since been {purchase.status.replace("_", " ")}
                {purchase.tokens_refunded > 0
                  ? `: ${tokens(purchase.tokens_refunded)} taken back`
                  : ""}
                .
              </p>
            ) : null}
          </div>
        ) : state === "failed" ? (
          <div className="alert alert-error">
            <p>The payment did not go through; no tokens were added.</p>
            {purchase?.failure_reason ? <p>{purchase.failure_reason}</p> : null}
          </div>
        ) : query.isError ? (
          <ErrorState
            title="Couldn't check the payment."
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : gaveUp ? (
          <div className="alert alert-info">
            <p>
              The payment hasn&apos;t been confirmed yet. If you paid, the tokens will arrive
              shortly; your wallet shows them when they do.
            </p>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setGaveUp(false);
                setDeadline(Date.now() + POLL_FOR_MS);
                void query.refetch();
              }}
            >
              Check again
            </button>
          </div>
        ) : (
          <p>
            <Spinner label="Waiting for the payment to be confirmed…" />
          </p>
        )}
      </div>
      <div className="actions">
        <Link to="/wallet" className={state === "pending" ? "btn btn-ghost" : "btn btn-primary"}>
          Back to your wallet
        </Link>
      </div>
    </section>
  );
}
