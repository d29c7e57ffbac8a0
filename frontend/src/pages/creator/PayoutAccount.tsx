/** The creator's payout account (Stripe Connect) and the way to its hosted onboarding. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import type { PayoutAccount, PayoutAccountState } from "../../api/types";
import { Spinner } from "../../components/feedback";
import { ErrorState, Loading } from "../../components/states";
import { errorMessages } from "../../lib/formErrors";
import { keys } from "../../queries/keys";
import { usePayoutAccount, useStartOnboarding } from "../../queries/payouts";

const ACCOUNT_STATE_LABEL: Record<PayoutAccountState, string> = {
  none: "Not set up",
  onboarding: "Setup not finished",
  restricted: "Stripe needs more information",
  enabled: "Ready for payouts",
};

/** After Stripe sends the creator back, its webhook may land a moment later: ask again a while. */
const RETURN_POLL_MS = 2_000;
const RETURN_POLL_TIMES = 30;

function accountAction(state: PayoutAccountState): string {
  if (state === "none") return "Set up payouts";
  if (state === "enabled") return "Update payout details";
  return "Continue setup";
}

export function PayoutAccountCard({ returned }: { returned: "return" | "refresh" | null }) {
  const account = usePayoutAccount();
  const onboarding = useStartOnboarding();
  const [polls, setPolls] = useState(0);
  const waiting =
    returned === "return" && account.data?.state !== "enabled" && polls < RETURN_POLL_TIMES;
  useEffect(() => {
    if (!waiting || account.isFetching) return;
    const timer = window.setTimeout(() => {
      setPolls((n) => n + 1);
      void account.refetch();
    }, RETURN_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, account]);

  function start() {
    onboarding.mutate(undefined, {
      onSuccess: ({ onboarding_url }) => window.location.assign(onboarding_url),
    });
  }

  return (
    <section className="card" aria-labelledby="dash-payout-account-title">
      <h2 id="dash-payout-account-title">Payout account</h2>
      {account.isPending ? (
        <Loading label="Loading your payout account…" />
      ) : account.isError ? (
        <ErrorState error={account.error} onRetry={() => void account.refetch()} />
      ) : (
        <>
          <p>
            Status:{" "}
            <strong data-testid="payout-account-state" data-state={account.data.state}>
              {ACCOUNT_STATE_LABEL[account.data.state]}
            </strong>
          </p>
          <AccountDetails account={account.data} />
          {returned === "refresh" && account.data.state !== "enabled" ? (
            <p className="muted" role="status">
              That setup link expired. Continue setup to get a fresh one.
            </p>
          ) : null}
          {waiting ? (
            <p className="muted" role="status">
              Checking with Stripe…
            </p>
          ) : null}
          {onboarding.isError ? (
            <div className="alert alert-error" role="alert" data-testid="payout-account-error">
              {errorMessages(onboarding.error, []).map((text) => (
                <p key={text}>{text}</p>
              ))}
            </div>
          ) : null}
          <button
            type="button"
            className={account.data.state === "enabled" ? "btn btn-ghost" : "btn btn-primary"}
            onClick={start}
            disabled={onboarding.isPending || onboarding.isSuccess}
            aria-busy={onboarding.isPending || undefined}
            data-testid="payout-account-setup"
          >
            {onboarding.isPending || onboarding.isSuccess ? (
              <Spinner label="Opening Stripe…" />
            ) : (
              accountAction(account.data.state)
            )}
          </button>
        </>
      )}
    </section>
  );
}

function AccountDetails({ account }: { account: PayoutAccount }) {
  if (account.state === "none") {
    return (
      <p className="muted">Payouts go to your bank through Stripe. Setup takes a few minutes.</p>
    );
  }
  if (account.state === "enabled") {
    return <p className="muted">Cash out your available tokens whenever you like.</p>;
  }
  return account.requirements_due.length > 0 ? (
    <p className="muted">Stripe still needs: {account.requirements_due.join(", ")}.</p>
  ) : (
    <p className="muted">Finish Stripe&apos;s forms to get paid.</p>
  );
}

/** `?payouts=return|refresh`: where Stripe's onboarding sent the creator back. */
export function useOnboardingReturn(): "return" | "refresh" | null {
  const [params] = useSearchParams();
  const client = useQueryClient();
  const value = params.get("payouts");
  const returned = value === "return" || value === "refresh" ? value : null;
  useEffect(() => {
    if (returned) void client.invalidateQueries({ queryKey: keys.payoutAccount });
  }, [client, returned]);
  return returned;
}
