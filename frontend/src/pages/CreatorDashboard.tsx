/** The creator's half of the dashboard: earnings, the payout account, cashing out, payouts. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import type { Earnings, PayoutAccount, PayoutAccountState, PayoutStatus } from "../api/types";
import { Avatar } from "../components/Avatar";
import { LoadMore } from "../components/LoadMore";
import { Spinner } from "../components/feedback";
import { Empty, ErrorState, Loading } from "../components/states";
import { dateTime, money, timeAgo, tokens } from "../lib/format";
import { errorMessages } from "../lib/formErrors";
import { keys } from "../queries/keys";
import {
  availableFromError,
  useDailyEarnings,
  useEarnings,
  usePayoutAccount,
  usePayouts,
  useReceivedTips,
  useRequestPayout,
  useStartOnboarding,
  useSupporters,
} from "../queries/payouts";

export const PAYOUT_STATUS_LABEL: Record<PayoutStatus, string> = {
  requested: "Requested",
  in_transit: "In transit",
  paid: "Paid",
  failed: "Failed",
  reversed: "Reversed",
};

const ACCOUNT_STATE_LABEL: Record<PayoutAccountState, string> = {
  none: "Not set up",
  onboarding: "Setup not finished",
  restricted: "Stripe needs more information",
  enabled: "Ready for payouts",
};

/** After Stripe sends the creator back, its webhook may land a moment later: ask again a while. */
const RETURN_POLL_MS = 2_000;
const RETURN_POLL_TIMES = 30;

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span data-testid={testId}>{value}</span>
        {hint ? <span className="muted small stat-hint">{hint}</span> : null}
      </dd>
    </div>
  );
}

function EarningsSummary() {
  const earnings = useEarnings();
  return (
    <section className="card" aria-labelledby="dash-earnings-title">
      <h2 id="dash-earnings-title">Earnings</h2>
      {earnings.isPending ? (
        <Loading label="Loading your earnings…" />
      ) : earnings.isError ? (
        <ErrorState error={earnings.error} onRetry={() => void earnings.refetch()} />
      ) : (
        <EarningsFigures earnings={earnings.data} />
      )}
    </section>
  );
}

function EarningsFigures({ earnings }: { earnings: Earnings }) {
  const cash = (cents: number) => money(cents, earnings.currency);
  const release = earnings.next_release_at
    ? `Next release ${dateTime(earnings.next_release_at)}`
    : undefined;
  return (
    <>
      <dl className="stats earnings-stats" data-testid="earnings-summary">
        <Stat
          label="Available"
          value={tokens(earnings.available_tokens)}
          hint={cash(earnings.available_cents)}
          testId="earnings-available"
        />
        <Stat
          label="On hold"
          value={tokens(earnings.on_hold_tokens)}
          hint={[cash(earnings.on_hold_cents), release].filter(Boolean).join(" · ")}
          testId="earnings-on-hold"
        />
        <Stat
          label="Paid out"
          value={tokens(earnings.paid_out_tokens)}
          hint={cash(earnings.paid_out_tokens * earnings.token_payout_cents)}
          testId="earnings-paid-out"
        />
        <Stat
          label="Lifetime"
          value={tokens(earnings.lifetime_tokens)}
          hint={cash(earnings.lifetime_cents)}
          testId="earnings-lifetime"
        />
      </dl>
      <p className="muted small" data-testid="earnings-rate">
        1 token = {cash(earnings.token_payout_cents)}.{" "}
        {earnings.hold_days > 0
          ? `Tokens you receive are on hold for ${earnings.hold_days} ${earnings.hold_days === 1 ? "day" : "days"}, then you can cash them out.`
          : "Tokens you receive can be cashed out right away."}
      </p>
      <LastDays />
    </>
  );
}

const DAILY_DAYS = 30;

/** Tokens received per day over the last 30 days: a total and small bars. */
function LastDays() {
  const daily = useDailyEarnings(DAILY_DAYS);
  if (!daily.data) return null;
  const days = daily.data.days;
  const total = days.reduce((sum, day) => sum + day.tokens, 0);
  const most = Math.max(1, ...days.map((day) => day.tokens));
  return (
    <div className="daily" data-testid="earnings-daily">
      <p className="small">
        {tokens(total)} received in the last {DAILY_DAYS} days
      </p>
      <div
        className="daily-bars"
        role="img"
        aria-label={`Tokens received per day, last ${DAILY_DAYS} days: ${tokens(total)} in all`}
      >
        {days.map((day) => (
          <span
            key={day.date}
            className="daily-bar"
            style={{ height: `${Math.round((day.tokens / most) * 100)}%` }}
            title={`${day.date}: ${tokens(day.tokens)}`}
          />
        ))}
      </div>
    </div>
  );
}

function accountAction(state: PayoutAccountState): string {
  if (state === "none") return "Set up payouts";
  if (state === "enabled") return "Update payout details";
  return "Continue setup";
}

function PayoutAccountCard({ returned }: { returned: "return" | "refresh" | null }) {
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

function CashOut() {
  const earnings = useEarnings();
  const account = usePayoutAccount();
  const payout = useRequestPayout();
  const inputId = useId();
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);

  if (!earnings.data || !account.data) return null;
  const { available_tokens: available, minimum_payout_tokens: minimum } = earnings.data;
  const enabled = account.data.state === "enabled";
  const cash = (n: number) => money(n * earnings.data.token_payout_cents, earnings.data.currency);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = value.trim();
    const n = Number(text);
    let problem: string | null = null;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
      problem = "Enter a whole number of tokens.";
    } else if (n < minimum) {
      problem = `The minimum payout is ${tokens(minimum)}.`;
    } else if (n > available) {
      problem = `You have ${tokens(available)} available.`;
    }
    setInvalid(problem);
    if (problem) {
      document.getElementById(inputId)?.focus();
      return;
    }
    payout.mutate(n, { onSuccess: () => setValue("") });
  }

  const short = availableFromError(payout.error);
  return (
    <section className="card" aria-labelledby="dash-cash-out-title">
      <h2 id="dash-cash-out-title">Cash out</h2>
      {!enabled ? (
        <p className="muted" data-testid="cash-out-disabled">
          Set up payouts to cash out your earnings.
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate data-testid="cash-out-form">
          <div className={invalid ? "field field-invalid" : "field"}>
            <label className="field-label" htmlFor={inputId}>
              Tokens to cash out
            </label>
            <p className="field-hint" id={`${inputId}-hint`}>
              {tokens(available)} available ({cash(available)}); the minimum is {tokens(minimum)}.
            </p>
            <div className="input-with-action">
              <input
                id={inputId}
                name="tokens"
                className="input"
                type="number"
                inputMode="numeric"
                min={minimum}
                max={available}
                step={1}
                value={value}
                onChange={(event) => {
                  setValue(event.target.value);
                  setInvalid(null);
                }}
                aria-invalid={invalid ? true : undefined}
                aria-describedby={invalid ? `${inputId}-hint ${inputId}-error` : `${inputId}-hint`}
                data-testid="cash-out-tokens"
              />
              <button
                type="button"
                className="input-action"
                onClick={() => {
                  setValue(String(available));
                  setInvalid(null);
                }}
                disabled={available < 1}
              >
                All
              </button>
            </div>
            {invalid ? (
              <p className="field-error" id={`${inputId}-error`} data-testid="field-error-tokens">
                {invalid}
              </p>
            ) : null}
          </div>
          {payout.isError ? (
            <div className="alert alert-error" role="alert" data-testid="cash-out-error">
              {short !== null ? (
                <p>Only {tokens(short)} are available now; cash out that many or fewer.</p>
              ) : (
                errorMessages(payout.error, ["tokens"]).map((text) => <p key={text}>{text}</p>)
              )}
            </div>
          ) : null}
          {payout.isSuccess ? (
            <div className="alert alert-success" role="status" data-testid="cash-out-success">
              <p>
                {tokens(payout.data.tokens)} (
                {money(payout.data.amount_cents, payout.data.currency)}) are on their way to your
                bank.
              </p>
            </div>
          ) : null}
          <div className="actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={payout.isPending}
              aria-busy={payout.isPending || undefined}
              data-testid="cash-out-submit"
            >
              {payout.isPending ? <Spinner label="Requesting…" /> : "Cash out"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Payouts() {
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

function RecentTips() {
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

function TopSupporters() {
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

/** `?payouts=return|refresh`: where Stripe's onboarding sent the creator back. */
function useOnboardingReturn(): "return" | "refresh" | null {
  const [params] = useSearchParams();
  const client = useQueryClient();
  const value = params.get("payouts");
  const returned = value === "return" || value === "refresh" ? value : null;
  useEffect(() => {
    if (returned) void client.invalidateQueries({ queryKey: keys.payoutAccount });
  }, [client, returned]);
  return returned;
}

export function CreatorMain() {
  return (
    <>
      <EarningsSummary />
      <CashOut />
      <Payouts />
      <RecentTips />
    </>
  );
}

export function CreatorSide() {
  const returned = useOnboardingReturn();
  return (
    <>
      <PayoutAccountCard returned={returned} />
      <TopSupporters />
    </>
  );
}
