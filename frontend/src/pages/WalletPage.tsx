import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import type { LedgerEntryKind, PurchaseStatus, TokenPackage } from "../api/types";
import {
  getPackages,
  idempotencyKey,
  listEntries,
  listPurchases,
  startPurchase,
} from "../api/wallet";
import { Spinner } from "../components/feedback";
import { LoadMore } from "../components/LoadMore";
import { Empty, ErrorState, Loading } from "../components/states";
import { dateTime, money, tokens } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { pagedQuery, useWallet } from "../queries/hooks";
import { keys } from "../queries/keys";

export const PURCHASE_STATUS_LABEL: Record<PurchaseStatus, string> = {
  pending: "Waiting for payment",
  paid: "Paid",
  expired: "Expired",
  failed: "Failed",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
  disputed: "Disputed",
};

const ENTRY_LABEL: Record<LedgerEntryKind, string> = {
  purchase: "Bought tokens",
  tip_sent: "Tip sent",
  tip_received: "Tip received",
  unlock_sent: "Post unlocked",
  unlock_received: "Post unlocked by a fan",
  refund: "Refund",
  dispute: "Disputed payment",
  dispute_won: "Dispute resolved",
  payout: "Paid out",
  payout_returned: "Payout returned",
};

/** Sends the browser to the checkout page; this tab leaves the app. */
export function goToCheckout(url: string): void {
  window.location.assign(url);
}

function Balance() {
  const wallet = useWallet();
  if (wallet.isPending) return <Loading label="Loading your balance…" />;
  if (wallet.isError) {
    return <ErrorState error={wallet.error} onRetry={() => void wallet.refetch()} />;
  }
  const { balance } = wallet.data;
  return (
    <>
      <p className={balance < 0 ? "big-number balance-negative" : "big-number"}>
        <span data-testid="wallet-balance">{balance}</span>{" "}
        <span className="muted">{Math.abs(balance) === 1 ? "token" : "tokens"}</span>
      </p>
      {balance < 0 ? (
        <p className="alert alert-info" data-testid="wallet-owed">
          You owe {tokens(-balance)} after a refund. Tokens you buy pay this back first.
        </p>
      ) : null}
    </>
  );
}

function Packages() {
  const packages = useQuery({
    queryKey: keys.packages,
    queryFn: ({ signal }) => getPackages(signal),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const purchase = useMutation({
    // A fresh key per click; the key only guards against the same click arriving twice.
    mutationFn: (pkg: TokenPackage) => startPurchase(pkg.id, idempotencyKey()),
    onMutate: (pkg) => setChosen(pkg.id),
    onSuccess: (started) => goToCheckout(started.checkout_url),
  });
  // After success the page is navigating away: keep the buttons busy until it has.
  const busy = purchase.isPending || purchase.isSuccess;

  if (packages.isPending) return <Loading label="Loading token packages…" />;
  if (packages.isError) {
    return <ErrorState error={packages.error} onRetry={() => void packages.refetch()} />;
  }
  if (packages.data.packages.length === 0) {
    return (
      <Empty>
        <p>No token packages are on sale right now.</p>
      </Empty>
    );
  }
  return (
    <>
      <ul className="packages">
        {packages.data.packages.map((pkg) => (
          <li key={pkg.id} className="package">
            <p className="package-tokens">{tokens(pkg.tokens)}</p>
            {pkg.label && pkg.label !== tokens(pkg.tokens) ? (
              <p className="muted">{pkg.label}</p>
            ) : null}
            <p className="package-price">{money(pkg.price_cents, pkg.currency)}</p>
            <button
              type="button"
              className="btn btn-primary btn-block"
              disabled={busy}
              aria-busy={busy && chosen === pkg.id ? true : undefined}
              onClick={() => purchase.mutate(pkg)}
              data-testid={`package-${pkg.id}`}
            >
              {busy && chosen === pkg.id ? (
                <Spinner label="Going to checkout…" />
              ) : (
                <>
                  Buy<span className="visually-hidden"> {tokens(pkg.tokens)}</span>
                </>
              )}
            </button>
          </li>
        ))}
      </ul>
      {purchase.isError ? (
        <div className="alert alert-error" role="alert" data-testid="purchase-error">
          <p>Couldn&apos;t start the payment: {errorMessage(purchase.error)}</p>
        </div>
      ) : null}
      <p className="muted small">
        You pay on a secure checkout page, then come back here. Tokens arrive once the payment is
        confirmed.
      </p>
    </>
  );
}

// The payment history shares the money routes' limit (10 reads per 15 minutes), so it is
// reused for five minutes and refreshed only when a purchase or refund changes it.
const HISTORY_STALE_MS = 5 * 60_000;

function Purchases() {
  const query = useInfiniteQuery({
    ...pagedQuery(keys.payments, listPurchases, 10),
    staleTime: HISTORY_STALE_MS,
    refetchOnWindowFocus: false,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (query.isPending) return <Loading label="Loading your purchases…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty testId="purchase-history">
        <p>You haven&apos;t bought any tokens yet.</p>
      </Empty>
    );
  }
  return (
    <>
      <ul className="rows" data-testid="purchase-history">
        {items.map((purchase) => (
          <li key={purchase.id} className="row" data-testid={`purchase-${purchase.id}`}>
            <span className="row-main">
              <strong>{tokens(purchase.tokens)}</strong>
              <span className="muted small">{dateTime(purchase.created_at)}</span>
            </span>
            <span className="row-side">
              <span>{money(purchase.amount_cents, purchase.currency)}</span>
              <span className={`status status-${purchase.status}`} data-status={purchase.status}>
                {PURCHASE_STATUS_LABEL[purchase.status] ?? purchase.status}
              </span>
              {purchase.tokens_refunded > 0 ? (
                <span className="muted small">{tokens(purchase.tokens_refunded)} taken back</span>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <LoadMore query={query} />
    </>
  );
}

function Entries() {
  const query = useInfiniteQuery(pagedQuery(keys.walletEntries, listEntries, 20));
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (query.isPending) return <Loading label="Loading your history…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty testId="entries-list">
        <p>Tokens you buy, send and receive will be listed here.</p>
      </Empty>
    );
  }
  return (
    <>
      <ul className="rows" data-testid="entries-list">
        {items.map((entry) => (
          <li key={entry.id} className="row" data-testid={`entry-${entry.id}`}>
            <span className="row-main">
              <strong>{ENTRY_LABEL[entry.kind] ?? entry.kind}</strong>
              {entry.description ? <span>{entry.description}</span> : null}
              <span className="muted small">{dateTime(entry.created_at)}</span>
            </span>
            <span className={entry.amount < 0 ? "amount amount-out" : "amount amount-in"}>
              {entry.amount > 0 ? "+" : ""}
              {entry.amount}
            </span>
          </li>
        ))}
      </ul>
      <LoadMore query={query} />
    </>
  );
}

export function WalletPage() {
  useDocumentTitle("Wallet");
  return (
    <section className="page" data-testid="wallet-page">
      <header className="page-header">
        <h1>Wallet</h1>
        <p className="muted">Buy tokens to tip the creators you like.</p>
      </header>
      <section className="card" aria-labelledby="balance-title">
        <h2 id="balance-title">Balance</h2>
        <Balance />
      </section>
      <section className="card" aria-labelledby="packages-title">
        <h2 id="packages-title">Buy tokens</h2>
        <Packages />
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Activity</h2>
        <Entries />
      </section>
      <section className="card" aria-labelledby="purchases-title">
        <h2 id="purchases-title">Purchases</h2>
        <Purchases />
      </section>
    </section>
  );
}
